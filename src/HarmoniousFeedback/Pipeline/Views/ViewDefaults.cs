namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Experiment-wide feature settings every view reads unless its own parameters override them: the audio sample rate
/// (the dataset's), the segment length and overlap of segment-level views, and the tail rule.
/// </summary>
public sealed record ViewDefaults
{
    public int SampleRate { get; init; } = 16000;
    /// <summary>Segment length in seconds (the piano-emotion method: 3 s).</summary>
    public double SegmentSeconds { get; init; } = 3.0;
    /// <summary>Overlap between consecutive segments as a fraction of <see cref="SegmentSeconds"/>, in [0, 1).</summary>
    public double Overlap { get; init; }
    public TailHandling Tail { get; init; } = TailHandling.Trim;
}
