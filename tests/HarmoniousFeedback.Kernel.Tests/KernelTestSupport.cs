using HarmoniousFeedback.Kernel.Transport;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests;

/// <summary>A fact that needs libzmq (<c>libzmq.so.5</c>): reported as skipped, with the install hint, when it is absent.</summary>
public sealed class ZmqFactAttribute : FactAttribute
{
    public ZmqFactAttribute()
    {
        if (!ZmqContext.IsAvailable) Skip = "needs libzmq ('apt-get install -y libzmq5'); ZeroMQ transport tests skipped";
    }
}

/// <summary>Temporary directories for tests, under the system temp folder.</summary>
public static class TestDirs
{
    public static string Create(string prefix = "hfb-kernel-test")
    {
        var d = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}
