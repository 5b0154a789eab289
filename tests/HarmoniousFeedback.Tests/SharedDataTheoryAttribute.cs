using Xunit;

namespace HarmoniousFeedback.Tests;

/// <summary>A theory that needs <c>../shared</c>; skipped visibly when absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (!TestPaths.SharedAvailable) Skip = $"needs the shared datasets/anchors at {TestPaths.SharedRoot} (set HFB_SHARED to override)";
    }
}
