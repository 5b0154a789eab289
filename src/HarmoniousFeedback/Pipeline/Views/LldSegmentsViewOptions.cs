using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>Options of the <c>lld</c> view: the LLD extractor's segmentation and the tail rule.</summary>
public sealed record LldSegmentsViewOptions
{
    public int SampleRate { get; init; } = 16000;
    public double SegmentSeconds { get; init; } = 3.0;
    /// <summary>Overlap as a fraction of the segment length, in [0, 1).</summary>
    public double Overlap { get; init; }
    public TailHandling Tail { get; init; } = TailHandling.Trim;

    /// <summary>The extractor options: <see cref="LldOptions"/> at <see cref="SampleRate"/> with this segmentation.</summary>
    public LldOptions ToLldOptions()
    {
        var lld = new LldOptions { SampleRate = SampleRate, SegmentSeconds = SegmentSeconds, OverlapSeconds = Overlap * SegmentSeconds };
        return lld with
        {
            Mfcc = lld.Mfcc with { Mel = lld.Mfcc.Mel with { SampleRate = lld.SampleRate } },
            Frame = lld.Frame with { SampleRate = lld.SampleRate },
        };
    }
}
