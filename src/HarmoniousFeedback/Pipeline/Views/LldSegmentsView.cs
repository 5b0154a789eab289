using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// View <c>lld</c>: the piano-emotion method's 50-dim low-level descriptor per segment (18 MFCC + 8 formant + 10 energy
/// + 6 pitch + 8 ZCR dims; docs/features.md), as a sequence [T × 50] per clip — T = number of 3 s segments, the
/// near-silent release tail trimmed by default (<see cref="SilentTail"/>). Normalised per unit (min–max on the training rows).
/// </summary>
public sealed class LldSegmentsView : FeatureView<LldSegmentsViewOptions>
{
    public override string Name => "lld";
    public override string Summary => "50-dim LLD descriptor per segment, a sequence [T × 50] (docs/features.md)";

    protected override LldSegmentsViewOptions ReadOptions(ParameterReader p, ViewDefaults d) => ReadSegmentation(p, d);

    /// <summary>The segmentation parameters every view aligned with <c>lld</c> reads (segmentSeconds, overlap, tail).</summary>
    internal static LldSegmentsViewOptions ReadSegmentation(ParameterReader p, ViewDefaults d) => new()
    {
        SampleRate = d.SampleRate,
        SegmentSeconds = p.Double("segmentSeconds", d.SegmentSeconds, "segment length in seconds", 0.5, 30),
        Overlap = p.Double("overlap", d.Overlap, "overlap between segments as a fraction of the segment length", 0, 0.99),
        Tail = p.Enum("tail", d.Tail, "near-silent release tail: trim trailing segments > 30 dB below the loudest, or keep"),
    };

    protected override ConfiguredView Create(LldSegmentsViewOptions options) => new Configured(this, options);

    private sealed class Configured(LldSegmentsView view, LldSegmentsViewOptions options) : ConfiguredView(view)
    {
        private readonly LldOptions _lld = options.ToLldOptions();

        public override ColumnType Type { get; } = ColumnType.Sequence(LldExtractor.SegmentColumns.Count);
        public override IReadOnlyList<string> SlotNames => LldExtractor.SegmentColumns;
        public override bool Normalizable => true;

        public override IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction x)
        {
            var cache = x.CacheDirectory is null ? null : new FeatureCache(x.CacheDirectory);
            var extractor = BatchFeatureExtractor.ForLldSegments(_lld, cache, x.Threads);
            x.Stage?.Invoke($"extracting 50-dim LLD segment features ({clips.Count} clips)");
            var results = extractor.Run(clips.Select(c => new BatchItem(c.Id, c.AudioPath)), ProgressOf(x, $"features {x.Label}"), x.Cancellation);
            return results.Select(r => (object)(options.Tail == TailHandling.Trim ? SilentTail.Trim(r.Features) : r.Features)).ToArray();
        }
    }

    internal static IProgress<BatchProgress>? ProgressOf(ViewExtraction x, string task) =>
        x.Progress is null ? null : new Progress(x.Progress, task);

    private sealed class Progress(Action<string, int, int> report, string task) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(task, value.Completed, value.Total);
    }
}
