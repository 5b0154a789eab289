using HarmoniousFeedback.Kernel.Transport;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests;

/// <summary>A fact that needs libzmq (<c>libzmq.so.5</c>): reported as skipped, with the install hint, when it is absent.</summary>
public class ZmqFactAttribute : FactAttribute
{
    public ZmqFactAttribute()
    {
        if (!ZmqContext.IsAvailable) Skip = "needs libzmq ('apt-get install -y libzmq5'); ZeroMQ transport tests skipped";
    }
}

/// <summary>
/// A ZeroMQ test that sends the kernel SIGINT. A process started from a background job of a non-interactive shell
/// (<c>cmd &amp;</c> without job control, <c>nohup</c>) inherits SIGINT as ignored, the kernel it starts inherits that,
/// and .NET installs no handler for a signal ignored at start-up — so such a run skips these tests, saying why.
/// </summary>
public sealed class SigintFactAttribute : ZmqFactAttribute
{
    public SigintFactAttribute()
    {
        if (Skip is null && SigintIgnored()) Skip = "SIGINT is ignored in this process (started from a background job without job control); a kernel started from here cannot receive it";
    }

    /// <summary>Bit 1 (signal 2) of the SigIgn mask in /proc/self/status (Linux).</summary>
    private static bool SigintIgnored()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}

/// <summary>Temporary directories for tests, deleted when the test process exits (<see cref="HarmoniousFeedback.Tests.TestTemp"/>).</summary>
public static class TestDirs
{
    public static string Create(string prefix = "hfb-kernel-test") => HarmoniousFeedback.Tests.TestTemp.Dir(prefix);
}

/// <summary>A theory that needs libzmq; skipped with the install hint when it is absent.</summary>
public class ZmqTheoryAttribute : TheoryAttribute
{
    public ZmqTheoryAttribute()
    {
        if (!ZmqContext.IsAvailable) Skip = "needs libzmq ('apt-get install -y libzmq5'); ZeroMQ transport tests skipped";
    }
}

/// <summary>A ZeroMQ theory that reads per-thread CPU time from Linux's <c>/proc</c> (<see cref="Integration.ThreadSampler"/>).</summary>
public sealed class ThreadCpuTheoryAttribute : ZmqTheoryAttribute
{
    public ThreadCpuTheoryAttribute()
    {
        if (Skip is null && !Integration.ThreadSampler.IsSupported) Skip = "per-thread CPU time is read from Linux's /proc";
    }
}
