namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// Score and performance features of one MIDI clip (<see cref="SymbolicFeatureExtractor"/>): per segment
/// (<c>[segments × columns]</c>, row times = segment starts in s, the same segments as the LLD of the clip's rendered audio)
/// and per clip (<c>[1 × columns]</c>, the same formulas over the whole clip window, row time 0). Columns are
/// <see cref="SymbolicFeatureExtractor.ScoreColumns"/> and <see cref="SymbolicFeatureExtractor.PerformanceColumns"/>.
/// </summary>
public sealed record SymbolicFeatures(
    FeatureMatrix ScoreSegments,
    FeatureMatrix PerformanceSegments,
    FeatureMatrix ScoreClip,
    FeatureMatrix PerformanceClip,
    GridSummary Grid,
    int LengthSamples,
    bool FromCache);
