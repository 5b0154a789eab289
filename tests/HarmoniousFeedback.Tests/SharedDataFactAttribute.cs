using Xunit;

namespace HarmoniousFeedback.Tests;

/// <summary>A fact that needs <c>../shared</c> (datasets, anchors): reported as skipped, with the reason, when absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (!TestPaths.SharedAvailable) Skip = $"needs the shared datasets/anchors at {TestPaths.SharedRoot} (set HFB_SHARED to override)";
    }
}
