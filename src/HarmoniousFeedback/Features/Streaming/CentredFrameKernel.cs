using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// Kernels on the spectrogram's frame grid: frame i is <c>xp[i·hop .. i·hop + NFft − 1]</c> of the signal padded by NFft/2
/// (when centred) under the pad mode (<see cref="Framing.Pad"/>). <see cref="Frames"/> builds exactly those samples for a
/// range of frames, so per-frame code sees what it sees on the whole signal. The streaming driver only uses this for signals
/// longer than its first block, so a single reflection at each end is numpy's rule (the mirror repeats only for pads longer
/// than the signal).
/// </summary>
internal abstract class CentredFrameKernel(int sampleRate, int nFft, int hop, bool center, PadMode padMode) : FrameKernel
{
    protected int NFft => nFft;
    protected int Hop => hop;
    private readonly int _offset = center ? nFft / 2 : 0;

    public override long FrameCount(long samples)
        => center ? (samples == 0 ? 0 : 1 + samples / hop) : (samples < nFft ? 0 : 1 + (samples - nFft) / hop);

    public override (long Lo, long Hi) Support(long a, long b) => (a * hop - _offset - nFft, (b - 1) * hop - _offset + 2 * nFft);

    public override double Time(long frame) => (frame * (double)hop + (center ? 0 : nFft / 2.0)) / sampleRate;

    /// <summary>The padded samples of frames [a, a + count): frame a + k is <c>result[k·hop .. k·hop + NFft − 1]</c>.</summary>
    protected float[] Frames(SampleWindow w, long a, int count)
    {
        var local = new float[(count - 1) * hop + nFft];
        long first = a * hop - _offset; // signal index of local[0]
        long n = w.Total ?? long.MaxValue;
        long lo = Math.Max(first, 0), hi = Math.Min(first + local.Length, n);
        if (hi > lo) w.Slice(lo, (int)(hi - lo)).CopyTo(local.AsSpan((int)(lo - first)));
        for (long j = first; j < lo; j++) local[j - first] = Padded(w, j, n);
        for (long j = Math.Max(hi, first); j < first + local.Length; j++) local[j - first] = Padded(w, j, n);
        return local;
    }

    private float Padded(SampleWindow w, long j, long n) => padMode switch
    {
        PadMode.Constant => 0f,
        PadMode.Edge => w[j < 0 ? 0 : n - 1],
        _ => w[j < 0 ? -j : 2 * (n - 1) - j],
    };
}
