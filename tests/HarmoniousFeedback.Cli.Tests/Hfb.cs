using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // tests redirect the process-wide Console

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>Runs <c>hfb</c> in-process (<c>Program.BuildRoot().Parse(args).Invoke()</c> with the CLI's error mapping) and captures its output.</summary>
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
            int code = CliErrors.Run(() => Program.BuildRoot().Parse(args).Invoke());
            return new Result(code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "hfb-cli-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}
