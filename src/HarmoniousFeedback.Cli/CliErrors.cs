using Spectre.Console;

namespace HarmoniousFeedback.Cli;

/// <summary>Maps the toolkit's typed exceptions to a one-line error on stderr and a non-zero exit code.</summary>
public static class CliErrors
{
    public const int UsageOrInputError = 2;
    public const int InternalError = 70;

    public static int Run(Func<int> action)
    {
        try { return action(); }
        catch (HarmoniousFeedbackException e) { return Report(e.Message, UsageOrInputError); }
        catch (OperationCanceledException) { return Report("cancelled", 130); }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try { return await action(); }
        catch (HarmoniousFeedbackException e) { return Report(e.Message, UsageOrInputError); }
        catch (OperationCanceledException) { return Report("cancelled", 130); }
    }

    public static int Report(string message, int code)
    {
        Console.Error.WriteLine("error: " + message);
        return code;
    }

    /// <summary>Console for progress/tables on stderr so stdout stays clean for --json output.</summary>
    public static IAnsiConsole StdErr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}
