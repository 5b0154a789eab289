using HarmoniousFeedback.Features.Symbolic;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Every view of one clip that <see cref="MultiViewExtractor"/> could derive, and for each view it could not, why
/// (<see cref="Missing"/>): a view is either present or listed as missing with a reason — never zeros standing in for it.
/// <list type="bullet">
/// <item><see cref="Symbolic"/>: score and performance features per segment and per clip (<see cref="ViewKind.Score"/> and
/// <see cref="ViewKind.Performance"/> come and go together). <see cref="SegmentsAlignedWithAudio"/> says whether the
/// segment grid came from the clip's audio length (true: row k is the audio's LLD segment k) or from the score's own
/// duration (no audio).</item>
/// <item><see cref="AudioRhythm"/>: onset/tempo features from the audio, per segment and per clip.</item>
/// <item><see cref="TextTokens"/>: raw tokenizer ids (<see cref="Text.TextTokenizer"/>, <see cref="Text.TextTokenizer.MaskId"/> for
/// masked words; <see cref="MaskedWords"/> counts them); map them with a <see cref="Text.TextVocabulary"/> fitted on training clips.</item>
/// </list>
/// </summary>
public sealed record ClipViews
{
    public required string ClipId { get; init; }
    public SymbolicFeatures? Symbolic { get; init; }
    public bool SegmentsAlignedWithAudio { get; init; }
    public AudioRhythmFeatures? AudioRhythm { get; init; }
    public int[]? TextTokens { get; init; }
    public int MaskedWords { get; init; }

    /// <summary>The views not present, each with the reason.</summary>
    public required IReadOnlyDictionary<ViewKind, string> Missing { get; init; }

    public bool Has(ViewKind view) => !Missing.ContainsKey(view);

    /// <summary>Score features [segments × 98], or null (see <see cref="Missing"/>).</summary>
    public FeatureMatrix? ScoreSegments => Symbolic?.ScoreSegments;
    /// <summary>Performance features [segments × 22], or null.</summary>
    public FeatureMatrix? PerformanceSegments => Symbolic?.PerformanceSegments;
    /// <summary>Clip-level score features [1 × 98], or null.</summary>
    public FeatureMatrix? ScoreClip => Symbolic?.ScoreClip;
    /// <summary>Clip-level performance features [1 × 22], or null.</summary>
    public FeatureMatrix? PerformanceClip => Symbolic?.PerformanceClip;
}
