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
    /// code 2 (<see cref="CliErrors"/>), never a stack trace. A command line that does not parse (an unknown command or
    /// option, a missing or malformed value) is the same kind of error: its first problem on one line, with the command's
    /// help named, exit code 2. No arguments at all prints the overview (<c>hfb --help</c>) and exits 2.
    /// </summary>
    public static int Run(params string[] args)
    {
        if (args.Length == 0)
        {
            BuildRoot().Parse(["--help"]).Invoke();
            return CliErrors.UsageOrInputError;
        }
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            var names = new List<string>();
            for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
                names.Insert(0, r.Command.Name);
            var help = names.Count == 0 ? "hfb --help" : $"hfb {string.Join(' ', names)} --help";
            // "Unrecognized command or argument 'x'" says more than the "Required command was not provided" it comes with
            var first = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            return CliErrors.Report($"{OneLine(first.Message)} (see {help})", CliErrors.UsageOrInputError);
        }
        // Let typed toolkit errors reach CliErrors instead of System.CommandLine's default stack-trace handler.
        return CliErrors.Run(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    /// <summary>
    /// A parse error on one line: System.CommandLine names a bad enum value's .NET type and lists the allowed values on
    /// lines of their own ("Cannot parse argument 'x' for option '--o' as expected type 'Ns.T'. Did you mean one of the
    /// following?\nA\nB"); this says "…for option '--o'; allowed: a, b" (the values are read case-insensitively).
    /// </summary>
    internal static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length <= 1) return message.Trim();
        var head = System.Text.RegularExpressions.Regex.Replace(lines[0], @" as expected type '[^']*'\. Did you mean one of the following\?$", "");
        return head != lines[0]
            ? $"{head}; allowed: {string.Join(", ", lines.Skip(1).Select(v => v.ToLowerInvariant()))}"
            : string.Join(" ", lines);
    }
}
