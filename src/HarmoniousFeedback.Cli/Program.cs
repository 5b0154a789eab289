using System.CommandLine;
using HarmoniousFeedback.Cli.Commands;

namespace HarmoniousFeedback.Cli;

public static class Program
{
    /// <summary>The root command: one sub-command per stage, each defined in its own file under Commands/.</summary>
    public static RootCommand BuildRoot()
    {
        RegisterAddOns();
        var root = new RootCommand("hfb — HarmoniousFeedback: music-emotion recognition and music-teaching feedback research toolkit");
        foreach (var command in CommandRegistry.All()) root.Add(command);
        return root;
    }

    public static int Main(string[] args) => Run(args);

    /// <summary>Model kinds from add-on assemblies the CLI ships with (one line each).</summary>
    public static void RegisterAddOns() => MLNet.MLNetModels.Register();

    /// <summary>
    /// Parses and runs one command line exactly as <c>hfb</c> does (the CLI tests call this too): every toolkit error
    /// (<see cref="HarmoniousFeedbackException"/>) that reaches here becomes one line <c>error: …</c> on stderr and exit
    /// code 2 (<see cref="CliErrors"/>), never a stack trace.
    /// </summary>
    public static int Run(params string[] args)
    {
        var parse = BuildRoot().Parse(args);
        // Let typed toolkit errors reach CliErrors instead of System.CommandLine's default stack-trace handler.
        return CliErrors.Run(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }
}
