using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>A fact that needs ffmpeg on PATH; reported as skipped, with the reason, when absent.</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (Ffmpeg.Path is null) Skip = "needs 'ffmpeg' on PATH (Debian: apt-get install ffmpeg)";
    }
}
