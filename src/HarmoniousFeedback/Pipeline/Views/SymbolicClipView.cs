using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Views <c>score-clip</c> and <c>performance-clip</c>: the same score (98 or 61 transposition-invariant) or performance
/// (22) columns as <see cref="SymbolicSegmentsView"/>, computed once over the whole clip window [0, audio length) — a
/// vector [F] per clip (the features of the clip-level SVM in bench/README.md, "symbolic"). Needs MIDI. Normalised per
/// unit (min–max on the training rows; classical models standardise it again, which min–max does not change).
/// </summary>
public sealed class SymbolicClipView : FeatureView<SymbolicViewOptions>
{
    public SymbolicClipView(SymbolicPart part) => Part = part;

    public SymbolicPart Part { get; }

    public override string Name => Part == SymbolicPart.Score ? "score-clip" : "performance-clip";

    public override string Summary => Part == SymbolicPart.Score
        ? "the 98 score features over the whole clip, a vector [98] or [61] transposition-invariant (docs/features.md)"
        : "the 22 performance features over the whole clip, a vector [22] (docs/features.md)";

    protected override SymbolicViewOptions ReadOptions(ParameterReader p, ViewDefaults d) => new()
    {
        Segments = LldSegmentsView.ReadSegmentation(p, d),
        TranspositionInvariant = Part == SymbolicPart.Score
            && p.Bool("transpositionInvariant", false, "leave out the 37 transposition-dependent score columns (absolute pitch classes, key tonic, key correlations)"),
    };

    protected override ConfiguredView Create(SymbolicViewOptions options) => new Configured(this, options);

    private sealed class Configured(SymbolicClipView view, SymbolicViewOptions options) : ConfiguredView(view)
    {
        private readonly IReadOnlyList<string> _columns = SymbolicExtraction.Columns(view.Part, options.TranspositionInvariant);
        private readonly int[]? _keep = SymbolicExtraction.Kept(view.Part, options.TranspositionInvariant);

        public override ColumnType Type => ColumnType.Vector(_columns.Count);
        public override IReadOnlyList<string> SlotNames => _columns;
        public override bool Normalizable => true;

        public override string? Missing(ViewClip clip) => clip.MidiPath is null ? $"clip '{clip.Id}' {SymbolicExtraction.NoMidi}" : null;

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            var symbolic = SymbolicExtraction.Extract(clips, options.Segments, x);
            return symbolic.Select(s =>
            {
                var m = view.Part == SymbolicPart.Score ? s.ScoreClip : s.PerformanceClip;
                return (object)(_keep is null ? m.Data.ToArray() : _keep.Select(j => m[0, j]).ToArray());
            }).ToArray();
        }
    }
}
