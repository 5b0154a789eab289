using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>alignment</c>: the eight per-frame features comparing the performance with its aligned reference
/// (<see cref="ReferenceAlignment.FeatureNames"/>: local tempo ratio, timing residual, chroma distance/excess/deficit,
/// level, onset and contrast differences), a sequence [T × 8] on the <c>logmel</c> view's frames. Bounded by
/// construction, so not min–max normalised.
/// </summary>
public sealed class AlignmentView : FeatureView<ReferenceViewOptions>
{
    public override string Name => "alignment";
    public override string Summary => "8 per-frame features comparing the performance with its DTW-aligned reference (tempo ratio, timing, chroma, level, onsets, contrast), [T × 8]";

    protected override ReferenceViewOptions ReadOptions(ParameterReader p, ViewDefaults defaults) => ReferenceViewOptions.Read(p, defaults.SampleRate);

    protected override ConfiguredView Create(ReferenceViewOptions options) => new Configured(this, options);

    private sealed class Configured(AlignmentView view, ReferenceViewOptions options) : ConfiguredView(view)
    {
        public override ColumnType Type => ColumnType.Sequence(ReferenceAlignment.FeatureNames.Count);
        public override IReadOnlyList<string> SlotNames => ReferenceAlignment.FeatureNames;
        public override bool Normalizable => false;
        public override string? Missing(ViewClip clip) => ReferenceAlignmentExtractor.Missing(clip, options);

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            x.Stage?.Invoke($"alignment features ({clips.Count} clips)");
            return ReferenceAlignmentExtractor.Extract(clips, options, x, ReferenceAlignmentExtractor.Part.Features, $"alignment {x.Label}");
        }
    }
}
