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
