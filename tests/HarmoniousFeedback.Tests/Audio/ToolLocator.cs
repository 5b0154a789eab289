namespace HarmoniousFeedback.Tests.Audio;

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
