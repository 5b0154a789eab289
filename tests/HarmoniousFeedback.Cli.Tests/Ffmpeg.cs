using System.Diagnostics;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>The real ffmpeg, to make compressed test inputs.</summary>
public static class Ffmpeg
{
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => System.IO.Path.Combine(d, "ffmpeg")).FirstOrDefault(File.Exists);

    /// <summary>Converts <paramref name="input"/> to <paramref name="output"/> (format from its extension).</summary>
    public static void Convert(string input, string output)
    {
        using var p = Process.Start(new ProcessStartInfo(Path!, ["-nostdin", "-loglevel", "error", "-y", "-i", input, output]))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
