using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HarmoniousFeedback.Kernel.Install;

/// <summary>
/// Writes, finds and removes the Jupyter kernelspec <c>hfb-csharp</c> (a folder with <c>kernel.json</c>, see
/// jupyter_client's "Kernel specs"): <c>argv = ["dotnet", "&lt;abs&gt;/hfb-kernel.dll", "{connection_file}"]</c>,
/// <c>display_name = "C# (HarmoniousFeedback)"</c>, <c>language = "csharp"</c>, <c>interrupt_mode = "message"</c>.
/// </summary>
public static class KernelSpec
{
    /// <summary>The kernelspec folder name (what <c>--kernel</c>/<c>kernel_name</c> refer to).</summary>
    public const string Name = "hfb-csharp";

    public const string DisplayName = "C# (HarmoniousFeedback)";

    /// <summary>
    /// The kernelspec name .NET Interactive registered and Polyglot notebooks name in their metadata
    /// (<c>"kernelspec": {"name": ".net-csharp"}</c>); <c>hfb kernel install --polyglot-name</c> also installs under it,
    /// so such notebooks open with this kernel without editing.
    /// </summary>
    public const string PolyglotName = ".net-csharp";

    /// <summary>The display name of the <see cref="PolyglotName"/> copy.</summary>
    public const string PolyglotDisplayName = ".NET (C#) — hfb-kernel";

    /// <summary>The kernel.json content for a kernel assembly at <paramref name="kernelDll"/> (made absolute).</summary>
    public static JsonObject KernelJson(string kernelDll, string displayName = DisplayName) => new()
    {
        ["argv"] = new JsonArray("dotnet", Path.GetFullPath(kernelDll), "{connection_file}"),
        ["display_name"] = displayName,
        ["language"] = "csharp",
        ["interrupt_mode"] = "message",
        ["metadata"] = new JsonObject { ["implementation"] = Protocol.KernelInfo.Implementation },
    };

    /// <summary>Jupyter's per-user kernels folder: <c>$JUPYTER_DATA_DIR/kernels</c>, else <c>$XDG_DATA_HOME/jupyter/kernels</c>, else <c>~/.local/share/jupyter/kernels</c> (Linux), <c>~/Library/Jupyter/kernels</c> (macOS), <c>%APPDATA%\jupyter\kernels</c> (Windows).</summary>
    public static string UserKernelsDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data) return Path.Combine(data, "kernels");
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter", "kernels");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter", "kernels");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share");
        return Path.Combine(xdg, "jupyter", "kernels");
    }

    /// <summary><c>&lt;prefix&gt;/share/jupyter/kernels</c> (for <c>--prefix</c>, and <c>--sys-prefix</c> with Python's <c>sys.prefix</c>).</summary>
    public static string PrefixKernelsDirectory(string prefix) => Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");

    /// <summary>Python's <c>sys.prefix</c> from <paramref name="python"/> (default <c>python3</c>), as <c>jupyter kernelspec install --sys-prefix</c> uses.</summary>
    public static string PythonSysPrefix(string python = "python3")
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import sys; print(sys.prefix)");
        try
        {
            using var p = Process.Start(psi) ?? throw new KernelException($"cannot start '{python}'");
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0 || output.Length == 0) throw new KernelException($"'{python} -c \"import sys; print(sys.prefix)\"' failed with exit code {p.ExitCode}");
            return output;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KernelException($"--sys-prefix needs Python to find sys.prefix, but '{python}' cannot be started: {e.Message}", e);
        }
    }

    /// <summary>The folders <c>jupyter kernelspec list</c> searches that this tool knows: user, <c>$JUPYTER_PATH</c>, <c>/usr/local/share</c>, <c>/usr/share</c>.</summary>
    public static IReadOnlyList<string> SearchDirectories()
    {
        var dirs = new List<string> { UserKernelsDirectory() };
        if (Environment.GetEnvironmentVariable("JUPYTER_PATH") is { Length: > 0 } jp)
            dirs.AddRange(jp.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "kernels")));
        if (!OperatingSystem.IsWindows()) dirs.AddRange(["/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels"]);
        return dirs.Distinct().ToList();
    }

    /// <summary>
    /// Writes <c>&lt;kernelsDirectory&gt;/&lt;name&gt;/kernel.json</c> (replacing an older one) and returns the spec folder.
    /// Throws <see cref="KernelException"/> when the kernel assembly does not exist, the folder cannot be written, or
    /// (unless <paramref name="force"/>) a spec of that name from another kernel is there (e.g. .NET Interactive's
    /// <c>.net-csharp</c>).
    /// </summary>
    public static string Install(string kernelsDirectory, string kernelDll, string name = Name, string displayName = DisplayName, bool force = false)
    {
        if (!File.Exists(kernelDll)) throw new KernelException($"kernel assembly '{kernelDll}' not found (build HarmoniousFeedback.Kernel; hfb-kernel.dll ships beside hfb.dll)");
        var dir = Path.Combine(Path.GetFullPath(kernelsDirectory), name);
        var file = Path.Combine(dir, "kernel.json");
        if (!force && File.Exists(file) && Implementation(file) != Protocol.KernelInfo.Implementation)
            throw new KernelException($"'{file}' belongs to another kernel (argv: {Argv(file)}); pass --force to replace it with hfb-kernel");
        try
        {
            Directory.CreateDirectory(dir);
            var json = KernelJson(kernelDll, displayName).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            var tmp = Path.Combine(dir, "kernel.json.tmp-" + Environment.ProcessId);
            File.WriteAllText(tmp, json + "\n");
            File.Move(tmp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelException($"cannot write the kernelspec to '{dir}': {e.Message}", e);
        }
        return dir;
    }

    private static string? Implementation(string kernelJson)
    {
        try { return JsonNode.Parse(File.ReadAllText(kernelJson))?["metadata"]?["implementation"]?.GetValue<string>(); }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException) { return null; }
    }

    private static string Argv(string kernelJson)
    {
        try { return JsonNode.Parse(File.ReadAllText(kernelJson))?["argv"]?.ToJsonString() ?? "?"; }
        catch (Exception e) when (e is JsonException or IOException) { return "unreadable"; }
    }

    /// <summary>Installed specs named <paramref name="name"/> in <paramref name="directories"/>: (spec folder, kernel assembly from argv).</summary>
    public static IReadOnlyList<(string Directory, string? KernelDll)> Find(IEnumerable<string> directories, string name = Name)
    {
        var found = new List<(string, string?)>();
        foreach (var d in directories)
        {
            var file = Path.Combine(d, name, "kernel.json");
            if (!File.Exists(file)) continue;
            string? dll = null;
            try { dll = JsonNode.Parse(File.ReadAllText(file))?["argv"]?[1]?.GetValue<string>(); }
            catch (JsonException) { }
            found.Add((Path.Combine(d, name), dll));
        }
        return found;
    }

    /// <summary>
    /// Removes <c>&lt;kernelsDirectory&gt;/&lt;name&gt;</c>; returns false when it was not installed there. A spec of that
    /// name that belongs to another kernel is left alone (false).
    /// </summary>
    public static bool Uninstall(string kernelsDirectory, string name = Name)
    {
        var dir = Path.Combine(kernelsDirectory, name);
        if (!Directory.Exists(dir)) return false;
        var file = Path.Combine(dir, "kernel.json");
        if (File.Exists(file) && Implementation(file) is { } impl && impl != Protocol.KernelInfo.Implementation) return false;
        try { Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelException($"cannot remove '{dir}': {e.Message}", e);
        }
        return true;
    }
}
