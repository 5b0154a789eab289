using Xunit;

namespace HarmoniousFeedback.Tests.Audio;

/// <summary>A fact that runs shell scripts (stand-ins for external tools); skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "uses /bin/sh scripts as stand-ins for external tools";
    }
}
