namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// One frame-level feature computed for a range of frames of a streaming signal, by global frame index, exactly as the
/// whole-signal extractor computes those frames (same per-frame code on the same samples, same blocks of
/// <see cref="FeatureParallelism.Grain"/> frames when the range starts at a multiple of it).
/// </summary>
internal abstract class FrameKernel
{
    /// <summary>Column names, in output order.</summary>
    public abstract IReadOnlyList<string> Names { get; }

    public int Columns => Names.Count;

    /// <summary>Frames of a signal of <paramref name="samples"/> samples.</summary>
    public abstract long FrameCount(long samples);

    /// <summary>
    /// Samples <c>[Lo, Hi)</c> of the signal that frames [a, b) read (may reach outside [0, N); the window must hold the part
    /// inside). Generous by a margin, so that padding and reflection near the signal's ends stay inside the window.
    /// </summary>
    public abstract (long Lo, long Hi) Support(long a, long b);

    /// <summary>Time (s) of frame <paramref name="frame"/>, as the whole-signal extractor's <c>FrameTimes</c>.</summary>
    public abstract double Time(long frame);

    /// <summary>
    /// True when the values depend on a clip-level quantity (the log-mel maximum under <c>TopDb</c>): the signal is read twice,
    /// first through <see cref="Observe"/>, then through <see cref="Compute"/>.
    /// </summary>
    public virtual bool NeedsFirstPass => false;

    /// <summary>First pass over frames [a, a + count): accumulate the clip-level quantity.</summary>
    public virtual void Observe(SampleWindow window, long a, int count) { }

    /// <summary>Frames [a, a + count) into <paramref name="dest"/> (row-major, <see cref="Columns"/> per row).</summary>
    public abstract void Compute(SampleWindow window, long a, int count, float[] dest);
}
