using System.Globalization;

namespace HarmoniousFeedback.Kernel.Tests.Integration;

/// <summary>
/// CPU time per thread of a process, from Linux's <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c> (first field:
/// nanoseconds spent on a CPU; sched-stats documentation) and the thread name from <c>…/comm</c>. Comparing one
/// thread's CPU time over equal windows before and after an event says whether it stopped working, whatever the
/// machine's load: a thread that spins gets its share of a core in both windows, a stopped one gets nothing.
/// </summary>
public static class ThreadSampler
{
    public static bool IsSupported => OperatingSystem.IsLinux() && File.Exists("/proc/self/schedstat");

    /// <summary>Thread id → (name, CPU nanoseconds so far) for every thread of <paramref name="pid"/>; threads ending meanwhile are skipped.</summary>
    public static Dictionary<int, (string Name, long CpuNs)> Read(int pid)
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var cpu = long.Parse(File.ReadAllText(Path.Combine(dir, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                var name = File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
                threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, cpu);
            }
            catch (IOException) { } // the thread ended while being read
        }
        return threads;
    }

    /// <summary>CPU seconds each thread of <paramref name="pid"/> used during the next <paramref name="window"/>.</summary>
    public static Dictionary<int, (string Name, double CpuSeconds)> CpuDuring(int pid, TimeSpan window)
    {
        var first = Read(pid);
        Thread.Sleep(window);
        return Read(pid).ToDictionary(
            t => t.Key,
            t => (t.Value.Name, (t.Value.CpuNs - (first.TryGetValue(t.Key, out var f) ? f.CpuNs : 0)) / 1e9));
    }

    public static string Describe(IReadOnlyDictionary<int, (string Name, double CpuSeconds)> threads, IEnumerable<int>? only = null) =>
        string.Join("; ", threads.Where(t => only is null || only.Contains(t.Key)).OrderByDescending(t => t.Value.CpuSeconds)
            .Select(t => $"{t.Key} '{t.Value.Name}' {t.Value.CpuSeconds:0.000} s"));
}
