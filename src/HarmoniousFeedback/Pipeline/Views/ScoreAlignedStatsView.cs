using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>score-aligned</c>: clip statistics of the score comparison — mean, std, min and max of each of the eight
/// <c>alignment</c> features, then the mean |X − R̃|, mean max(0, X − R̃), mean max(0, R̃ − X) and std(X − R̃) of the
/// performance's and the aligned reference's normalised log-mels: a vector [36]. The features of the "SVM on
/// score-aligned features" baseline (classical models standardise it themselves).
/// </summary>
public sealed class ScoreAlignedStatsView : FeatureView<ReferenceViewOptions>
{
    public override string Name => "score-aligned";
    public override string Summary => "clip statistics of the performance-vs-score comparison (the alignment features' mean/std/min/max + log-mel differences), a vector [36]";

    protected override ReferenceViewOptions ReadOptions(ParameterReader p, ViewDefaults defaults) => ReferenceViewOptions.Read(p, defaults.SampleRate);

    protected override ConfiguredView Create(ReferenceViewOptions options) => new Configured(this, options);

    private sealed class Configured(ScoreAlignedStatsView view, ReferenceViewOptions options) : ConfiguredView(view)
    {
        public override ColumnType Type => ColumnType.Vector(ReferenceAlignmentExtractor.StatNames.Count);
        public override IReadOnlyList<string> SlotNames => ReferenceAlignmentExtractor.StatNames;
        public override bool Normalizable => false;
        public override string? Missing(ViewClip clip) => ReferenceAlignmentExtractor.Missing(clip, options);

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            x.Stage?.Invoke($"score-aligned statistics ({clips.Count} clips)");
            return ReferenceAlignmentExtractor.Extract(clips, options, x, ReferenceAlignmentExtractor.Part.Stats, $"score-aligned {x.Label}")
                .Select(m => (object)m.Data).ToArray();
        }
    }
}
