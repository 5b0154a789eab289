using System.Text.Json.Nodes;

namespace HarmoniousFeedback.Experiments;

/// <summary>Facts about the code and machine for a run's <c>manifest.json</c>.</summary>
public static class Provenance
{
    /// <summary>The git commit of the working tree (read from <c>.git</c> without running git), or "unknown".</summary>
    public static string GitCommit(string startDirectory)
    {
        try
        {
            var dir = new DirectoryInfo(startDirectory);
            while (dir is not null && !Directory.Exists(System.IO.Path.Combine(dir.FullName, ".git")) && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, ".git")))
                dir = dir.Parent;
            if (dir is null) return "unknown";
            var gitDir = System.IO.Path.Combine(dir.FullName, ".git");
            if (System.IO.File.Exists(gitDir)) // worktree: "gitdir: <path>"
                gitDir = System.IO.File.ReadAllText(gitDir).Trim().Replace("gitdir: ", "");
            var head = System.IO.File.ReadAllText(System.IO.Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
            var refName = head[5..];
            foreach (var root in new[] { gitDir, CommonDir(gitDir) })
            {
                var refPath = System.IO.Path.Combine(root, refName);
                if (System.IO.File.Exists(refPath)) return System.IO.File.ReadAllText(refPath).Trim();
                var packed = System.IO.Path.Combine(root, "packed-refs");
                if (System.IO.File.Exists(packed))
                    foreach (var line in System.IO.File.ReadLines(packed))
                        if (line.EndsWith(" " + refName, StringComparison.Ordinal)) return line.Split(' ')[0];
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "unknown";
    }

    private static string CommonDir(string gitDir)
    {
        var f = System.IO.Path.Combine(gitDir, "commondir");
        return System.IO.File.Exists(f) ? System.IO.Path.GetFullPath(System.IO.Path.Combine(gitDir, System.IO.File.ReadAllText(f).Trim())) : gitDir;
    }

    public static JsonObject Machine()
    {
        string cpu = "unknown";
        try
        {
            if (System.IO.File.Exists("/proc/cpuinfo"))
                cpu = System.IO.File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return new JsonObject
        {
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = ".NET " + Environment.Version,
            ["cpu"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["vector512"] = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
        };
    }
}
