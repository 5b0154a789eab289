using Xunit;

namespace HarmoniousFeedback.Tests.Audio;

/// <summary>A fact that needs an external program on PATH (e.g. "ffmpeg"); reported as skipped, with the reason, when absent.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (ToolLocator.Find(tool) is null) Skip = $"needs '{tool}' on PATH (Debian: apt-get install {tool})";
    }
}

internal static class ToolLocator
{
    /// <summary>Full path of <paramref name="tool"/> found on PATH, or null.</summary>
    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? new[] { tool + ".exe", tool } : new[] { tool })
            {
                var p = Path.Combine(dir, name);
                if (File.Exists(p)) return p;
            }
        }
        return null;
    }
}

/// <summary>A fact that runs shell scripts (stand-ins for external tools); skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "uses /bin/sh scripts as stand-ins for external tools";
    }
}
