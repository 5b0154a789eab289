using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Views <c>score</c> and <c>performance</c>: the score features (98 columns, 61 transposition-invariant) or the
/// performance features (22 columns) of a clip's MIDI per 3 s segment, a sequence [T × F]
/// (<see cref="Features.Symbolic.SymbolicFeatureExtractor"/>; every column's formula is in docs/features.md). The segment
/// grid is the <c>lld</c> view's on the clip's rendered audio (<see cref="SegmentGrid"/>: same sample rate, segment length,
/// overlap and last-segment rule), and the view keeps exactly as many rows as the <c>lld</c> view after its silent-tail rule
/// (<see cref="SilentTail.Trim"/>), so row k of <c>lld</c>, <c>score</c> and <c>performance</c> describe the same time span
/// [k·hop, k·hop + 3 s) (checked per clip: a mismatch is a <see cref="DatasetException"/>). Needs MIDI: an audio-only clip
/// is reported by <see cref="ConfiguredView.Missing"/> before any work. Normalised per unit (min–max on the training rows).
/// </summary>
public sealed class SymbolicSegmentsView : FeatureView<SymbolicViewOptions>
{
    public SymbolicSegmentsView(SymbolicPart part) => Part = part;

    public SymbolicPart Part { get; }

    public override string Name => Part == SymbolicPart.Score ? "score" : "performance";

    public override string Summary => Part == SymbolicPart.Score
        ? "98 score features from MIDI per LLD segment (key, pitch, intervals, chords, consonance, rhythm, syncopation), a sequence [T × 98] or [T × 61] transposition-invariant, rows aligned with `lld` (docs/features.md)"
        : "22 performance features from MIDI per LLD segment (velocity, timing, local tempo, articulation, pedal), a sequence [T × 22], rows aligned with `lld` (docs/features.md)";

    protected override SymbolicViewOptions ReadOptions(ParameterReader p, ViewDefaults d) => new()
    {
        Segments = LldSegmentsView.ReadSegmentation(p, d),
        TranspositionInvariant = Part == SymbolicPart.Score
            && p.Bool("transpositionInvariant", false, "leave out the 37 transposition-dependent score columns (absolute pitch classes, key tonic, key correlations)"),
    };

    protected override ConfiguredView Create(SymbolicViewOptions options) => new Configured(this, options);

    private sealed class Configured(SymbolicSegmentsView view, SymbolicViewOptions options) : ConfiguredView(view)
    {
        private readonly IReadOnlyList<string> _columns = SymbolicExtraction.Columns(view.Part, options.TranspositionInvariant);
        private readonly int[]? _keep = SymbolicExtraction.Kept(view.Part, options.TranspositionInvariant);

        public override ColumnType Type => ColumnType.Sequence(_columns.Count);
        public override IReadOnlyList<string> SlotNames => _columns;
        public override bool Normalizable => true;

        public override string? Missing(ViewClip clip) => clip.MidiPath is null ? $"clip '{clip.Id}' {SymbolicExtraction.NoMidi}" : null;

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            var lld = SegmentAlignment.LldRows(clips, options.Segments, x);
            var symbolic = SymbolicExtraction.Extract(clips, options.Segments, x);
            var values = new object[clips.Count];
            for (int i = 0; i < clips.Count; i++)
            {
                var m = view.Part == SymbolicPart.Score ? symbolic[i].ScoreSegments : symbolic[i].PerformanceSegments;
                values[i] = SegmentAlignment.Cut(m, lld[i].Full, lld[i].Kept, _keep, clips[i].Id, View.Name);
            }
            return values;
        }
    }
}
