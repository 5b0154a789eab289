using System.CommandLine;
using HarmoniousFeedback.Kernel;
using HarmoniousFeedback.Kernel.Install;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb kernel install|list|uninstall</c>: registers the C# Jupyter kernel (<c>hfb-kernel.dll</c>, shipped beside
/// <c>hfb.dll</c>) as the kernelspec <c>hfb-csharp</c>, and with <c>--polyglot-name</c> also as <c>.net-csharp</c>.
/// </summary>
public static class KernelCommand
{
    public static Command Create()
    {
        var cmd = new Command("kernel", "Install, list or remove the C# Jupyter kernel (kernelspec 'hfb-csharp')");
        cmd.Add(Install());
        cmd.Add(List());
        cmd.Add(Uninstall());
        return cmd;
    }

    private static (Option<bool> User, Option<string?> Prefix, Option<bool> SysPrefix) LocationOptions() => (
        new Option<bool>("--user") { Description = "The per-user Jupyter data folder (~/.local/share/jupyter/kernels); the default" },
        new Option<string?>("--prefix") { Description = "Under <prefix>/share/jupyter/kernels (e.g. a virtualenv or a CI temp dir)" },
        new Option<bool>("--sys-prefix") { Description = "Under Python's sys.prefix (python3 on PATH)/share/jupyter/kernels" });

    private static string KernelsDirectory(ParseResult parse, (Option<bool> User, Option<string?> Prefix, Option<bool> SysPrefix) o)
    {
        var prefix = parse.GetValue(o.Prefix);
        var chosen = (parse.GetValue(o.User) ? 1 : 0) + (prefix is not null ? 1 : 0) + (parse.GetValue(o.SysPrefix) ? 1 : 0);
        if (chosen > 1) throw new KernelException("choose at most one of --user, --prefix and --sys-prefix");
        if (prefix is not null)
        {
            OutputPathException.CheckFolder(prefix, "--prefix folder");
            return KernelSpec.PrefixKernelsDirectory(prefix);
        }
        if (parse.GetValue(o.SysPrefix)) return KernelSpec.PrefixKernelsDirectory(KernelSpec.PythonSysPrefix());
        return KernelSpec.UserKernelsDirectory();
    }

    private static int Guard(Func<int> action)
    {
        try { return action(); }
        catch (KernelException e) { return CliErrors.Report(e.Message, CliErrors.UsageOrInputError); }
    }

    private static Command Install()
    {
        var o = LocationOptions();
        var polyglot = new Option<bool>("--polyglot-name") { Description = $"Also register the kernel as '{KernelSpec.PolyglotName}', the kernelspec name notebooks written for .NET Interactive / Polyglot Notebooks carry, so they open unchanged" };
        var force = new Option<bool>("--force") { Description = $"Replace a '{KernelSpec.PolyglotName}' kernelspec of another kernel (.NET Interactive's)" };
        var cmd = new Command("install", "Write the kernelspec 'hfb-csharp' (kernel.json) into a Jupyter kernels folder and print where") { o.User, o.Prefix, o.SysPrefix, polyglot, force };
        cmd.SetAction(parse => Guard(() =>
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "hfb-kernel.dll");
            var kernels = KernelsDirectory(parse, o);
            var dir = KernelSpec.Install(kernels, dll);
            Console.WriteLine($"installed kernelspec {KernelSpec.Name} in {dir}");
            if (parse.GetValue(polyglot))
            {
                var alias = KernelSpec.Install(kernels, dll, KernelSpec.PolyglotName, KernelSpec.PolyglotDisplayName, parse.GetValue(force));
                Console.WriteLine($"installed kernelspec {KernelSpec.PolyglotName} in {alias} (notebooks written for Polyglot Notebooks open with hfb-kernel)");
            }
            Console.WriteLine($"  kernel: dotnet {dll} {{connection_file}}");
            return 0;
        }));
        return cmd;
    }

    private static Command List()
    {
        var prefix = new Option<string?>("--prefix") { Description = "Also look under <prefix>/share/jupyter/kernels" };
        var cmd = new Command("list", "Show where the kernelspec 'hfb-csharp' is installed") { prefix };
        cmd.SetAction(parse => Guard(() =>
        {
            var dirs = KernelSpec.SearchDirectories().ToList();
            if (parse.GetValue(prefix) is { } p) dirs.Insert(0, KernelSpec.PrefixKernelsDirectory(p));
            var found = KernelSpec.Find(dirs).Concat(KernelSpec.Find(dirs, KernelSpec.PolyglotName).Where(f => f.KernelDll?.EndsWith("hfb-kernel.dll", StringComparison.Ordinal) == true)).ToList();
            if (found.Count == 0)
            {
                Console.WriteLine($"{KernelSpec.Name} is not installed in: {string.Join(", ", dirs)}");
                return 1;
            }
            foreach (var (dir, dll) in found)
                Console.WriteLine($"{dir}  ->  {dll ?? "(unreadable kernel.json)"}{(dll is not null && !File.Exists(dll) ? "  (missing: reinstall)" : "")}");
            return 0;
        }));
        return cmd;
    }

    private static Command Uninstall()
    {
        var o = LocationOptions();
        var cmd = new Command("uninstall", "Remove the kernelspec 'hfb-csharp' from a Jupyter kernels folder") { o.User, o.Prefix, o.SysPrefix };
        cmd.SetAction(parse => Guard(() =>
        {
            var kernels = KernelsDirectory(parse, o);
            var removedAlias = KernelSpec.Uninstall(kernels, KernelSpec.PolyglotName); // only when it is hfb-kernel's
            if (removedAlias) Console.WriteLine($"removed {Path.Combine(kernels, KernelSpec.PolyglotName)}");
            if (!KernelSpec.Uninstall(kernels))
            {
                Console.WriteLine($"{KernelSpec.Name} is not installed in {kernels}");
                return removedAlias ? 0 : 1;
            }
            Console.WriteLine($"removed {Path.Combine(kernels, KernelSpec.Name)}");
            return 0;
        }));
        return cmd;
    }
}
