using System.Diagnostics;

namespace HarmoniousFeedback.Tests;

/// <summary>
/// Scratch directories for tests, all under one root per test process, <c>&lt;temp&gt;/hfb-tests-&lt;pid&gt;-&lt;8 hex&gt;</c>,
/// which is deleted after the assembly's last test (<see cref="TestTempFramework"/>) and, as a fallback, when the
/// process exits. Roots left behind by a process that was killed are deleted by the next
/// test process that starts. Tests write corpora, rendered audio and run folders (tens of MB each); without this a
/// full test run left about 1 GB in the temp folder, and repeated runs filled the disk.
/// Linked into every test project (<c>Shared/TestTemp.cs</c>).
/// </summary>
public static class TestTemp
{
    private const string RootPrefix = "hfb-tests-";
    private static readonly Lazy<string> root = new(CreateRoot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>This process's scratch root (created on first use).</summary>
    public static string Root => root.Value;

    /// <summary>
    /// Deletes this process's root if it was created (a later <see cref="Dir"/> recreates it). Never throws.
    /// </summary>
    public static void DeleteRoot()
    {
        if (root.IsValueCreated) TryDelete(root.Value);
    }

    /// <summary>A fresh, empty directory <c>&lt;root&gt;/&lt;prefix&gt;-&lt;8 hex&gt;</c>.</summary>
    public static string Dir(string prefix = "hfb-test")
    {
        var d = Path.Combine(Root, prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>A path for a file that does not exist yet, <c>&lt;root&gt;/&lt;prefix&gt;-&lt;32 hex&gt;&lt;extension&gt;</c>.</summary>
    public static string FilePath(string prefix, string extension) =>
        Path.Combine(Root, $"{prefix}-{Guid.NewGuid():N}{extension}");

    private static string CreateRoot()
    {
        var temp = Path.GetTempPath();
        DeleteRootsOfExitedProcesses(temp);
        var r = Path.Combine(temp, $"{RootPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(r);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(r);
        return r;
    }

    private static void DeleteRootsOfExitedProcesses(string temp)
    {
        string[] roots;
        try { roots = Directory.GetDirectories(temp, RootPrefix + "*"); }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        foreach (var r in roots)
        {
            var name = Path.GetFileName(r).AsSpan(RootPrefix.Length);
            int dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name[..dash], out int pid) || IsRunning(pid)) continue;
            TryDelete(r);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
