namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// A cell read standard input (<c>Console.ReadLine()</c>, <c>Console.Read()</c>) where no input can be asked for: the
/// front end does not accept input requests (<c>allow_stdin: false</c> — nbconvert, nbclient, papermill), or the read
/// came from background work after its cell finished. The message says which and what to do instead. An
/// <see cref="InvalidOperationException"/>, as .NET's own <c>Console.ReadKey()</c> throws without a console.
/// </summary>
public sealed class StdinNotAvailableException : InvalidOperationException
{
    public StdinNotAvailableException(string message) : base(message) { }
}
