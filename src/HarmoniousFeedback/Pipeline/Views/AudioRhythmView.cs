using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>audio-rhythm</c>: transcription-free onset and tempo features of the audio per LLD segment
/// (<see cref="AudioRhythmExtractor"/>: onset strength mean/std, onset rate, local tempo and its ratio to the clip tempo,
/// pulse clarity, onset IOI CV, nPVI and entropy), a sequence [T × 9] aligned with <c>lld</c> like the symbolic views
/// (same grid, same silent-tail cut). What an audio-only dataset (a user's folder of recordings) has in place of the
/// score and performance views. Cached. Normalised per unit.
/// </summary>
public sealed class AudioRhythmView : FeatureView<LldSegmentsViewOptions>
{
    public override string Name => "audio-rhythm";
    public override string Summary => "9 onset/tempo features from audio per LLD segment (no transcription), a sequence [T × 9] aligned with `lld` (docs/features.md)";

    protected override LldSegmentsViewOptions ReadOptions(ParameterReader p, ViewDefaults d) => LldSegmentsView.ReadSegmentation(p, d);

    protected override ConfiguredView Create(LldSegmentsViewOptions options) => new Configured(this, options);

    private sealed class Configured(AudioRhythmView view, LldSegmentsViewOptions options) : ConfiguredView(view)
    {
        public override ColumnType Type => ColumnType.Sequence(AudioRhythmExtractor.Columns.Count);
        public override IReadOnlyList<string> SlotNames => AudioRhythmExtractor.Columns;
        public override bool Normalizable => true;

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            var lld = SegmentAlignment.LldRows(clips, options, x);
            var ex = new MultiViewExtractor(new MultiViewOptions
            {
                CacheDirectory = x.CacheDirectory, MaxDegreeOfParallelism = Math.Max(1, x.Threads), AudioRhythmFor = AudioRhythmPolicy.AllClips,
            }.AlignedWith(options.ToLldOptions()));
            x.Stage?.Invoke($"extracting audio onset/tempo features ({clips.Count} clips)");
            var values = new object[clips.Count];
            int done = 0;
            try
            {
                Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, x.Threads), CancellationToken = x.Cancellation }, i =>
                {
                    var c = clips[i];
                    var v = ex.Extract(new ClipSources(c.Id, null, c.AudioPath, null));
                    values[i] = SegmentAlignment.Cut(v.AudioRhythm!.Segments, lld[i].Full, lld[i].Kept, null, c.Id, View.Name);
                    x.Progress?.Invoke($"audio-rhythm {x.Label}", Interlocked.Increment(ref done), clips.Count);
                });
            }
            catch (AggregateException ae) when (ae.InnerExceptions.Count > 0 && ae.InnerExceptions[0] is HarmoniousFeedbackException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
            }
            return values;
        }
    }
}
