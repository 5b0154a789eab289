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
public sealed class ScoreNotesView : FeatureView<ScoreNotesViewOptions>
{
    public override string Name => "score-notes";
    public override string Summary => "score-informed note comparison with the score (notes heard/replaced/missing, extra onsets, attack timing, levels vs velocities, damping vs written lengths), a vector [58], or [45] without the duration measures";

    protected override ScoreNotesViewOptions ReadOptions(ParameterReader p, ViewDefaults defaults) => ScoreNotesViewOptions.Read(p, defaults.SampleRate);

    protected override ConfiguredView Create(ScoreNotesViewOptions options) => new Configured(this, options);

    private sealed class Configured : ConfiguredView
    {
        private readonly ScoreNotesViewOptions _options;
        private readonly int[] _keep;
        private readonly string[] _names;

        public Configured(ScoreNotesView view, ScoreNotesViewOptions options) : base(view)
        {
            _options = options;
            var all = ScoreInformedComparison.FeatureNames;
            _keep = Enumerable.Range(0, all.Count).Where(i => options.Keeps(all[i])).ToArray();
            _names = _keep.Select(i => all[i]).ToArray();
        }

        public override ColumnType Type => ColumnType.Vector(_names.Length);
        public override IReadOnlyList<string> SlotNames => _names;
        public override bool Normalizable => false;

        public override string? Missing(ViewClip clip) => _options.Reference.Reference != ReferenceSource.Score
            ? "the score-notes view compares with a score: give it \"reference\": \"score\""
            : ReferenceAlignmentExtractor.Missing(clip, _options.Reference);

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            x.Stage?.Invoke($"score-informed note comparison ({clips.Count} clips)");
            return ReferenceAlignmentExtractor.Extract(clips, _options.Reference, x, ReferenceAlignmentExtractor.Part.Notes, $"score-notes {x.Label}")
                .Select(m => (object)_keep.Select(i => m.Data[i]).ToArray()).ToArray();
        }
    }
}
