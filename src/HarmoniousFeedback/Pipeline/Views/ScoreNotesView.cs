using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>score-notes</c>: the score-informed note comparison of a performance with its score
/// (<see cref="ScoreInformedComparison"/>: notes heard, replaced or missing, unexplained onsets, tempo, drift and jitter
/// of the attacks, levels against written velocities, damping against written lengths; each also relative to the
/// score's own rendering), a vector [58]. Needs a reference score (the teaching-feedback corpus gives one per clip); it
/// uses the alignment of the <c>score-aligned</c> view with the same options, so a run that has both computes it once.
/// </summary>
public sealed class ScoreNotesView : FeatureView<ReferenceViewOptions>
{
    public override string Name => "score-notes";
    public override string Summary => "score-informed note comparison with the score (notes heard/replaced/missing, extra onsets, attack timing, levels vs velocities, damping vs written lengths), a vector [58]";

    protected override ReferenceViewOptions ReadOptions(ParameterReader p, ViewDefaults defaults) => ReferenceViewOptions.Read(p, defaults.SampleRate);

    protected override ConfiguredView Create(ReferenceViewOptions options) => new Configured(this, options);

    private sealed class Configured(ScoreNotesView view, ReferenceViewOptions options) : ConfiguredView(view)
    {
        public override ColumnType Type => ColumnType.Vector(ScoreInformedComparison.FeatureNames.Count);
        public override IReadOnlyList<string> SlotNames => ScoreInformedComparison.FeatureNames;
        public override bool Normalizable => false;

        public override string? Missing(ViewClip clip) => options.Reference != ReferenceSource.Score
            ? "the score-notes view compares with a score: give it \"reference\": \"score\""
            : ReferenceAlignmentExtractor.Missing(clip, options);

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            x.Stage?.Invoke($"score-informed note comparison ({clips.Count} clips)");
            return ReferenceAlignmentExtractor.Extract(clips, options, x, ReferenceAlignmentExtractor.Part.Notes, $"score-notes {x.Label}")
                .Select(m => (object)m.Data).ToArray();
        }
    }
}
