using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // tests redirect the process-wide Console

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>Runs <c>hfb</c> in-process through <see cref="Program.Run"/> (the path <c>Main</c> takes) and captures its output.</summary>
public static class Hfb
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int code = Program.Run(args);
            return new Result(code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>A fresh scratch directory, deleted when the test process exits (<see cref="HarmoniousFeedback.Tests.TestTemp"/>).</summary>
    public static string TempDir() => HarmoniousFeedback.Tests.TestTemp.Dir("hfb-cli-test");
}
