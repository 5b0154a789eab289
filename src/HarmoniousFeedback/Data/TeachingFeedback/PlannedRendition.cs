using HarmoniousFeedback.Midi.Deviations;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>One planned rendition: its seed, the deviation specs applied (in order) and the resulting performance.</summary>
public sealed record PlannedRendition(int Index, long Seed, IReadOnlyList<IPerformanceDeviation> Deviations, StudentPerformance Performance)
{
    /// <summary>True for the clean rendition (natural variability only).</summary>
    public bool Clean => Deviations.Count == 0;
}
