namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>A cell called <c>Environment.Exit</c>; the cell stops here and the kernel keeps running (see <see cref="CellExit"/>).</summary>
public sealed class CellExitException : Exception
{
    public CellExitException(int exitCode)
        : base($"Environment.Exit({exitCode}) was called: the cell stops here, but the kernel keeps running, because ending its process would lose every variable of the notebook; to end the session use the front end's Shut Down or Restart")
    {
        ExitCode = exitCode;
    }

    /// <summary>The code the cell passed to <c>Environment.Exit</c>.</summary>
    public int ExitCode { get; }
}
