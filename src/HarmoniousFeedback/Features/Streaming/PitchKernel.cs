namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// <see cref="PitchTracker"/> frames (f0_hz, voicing_prob): the signal zero-padded by FrameLength/2 in front, the frames'
/// samples copied into a window that starts at frame a, and <see cref="PitchTracker.ComputePadded"/> — the code
/// <see cref="PitchTracker.Compute(ReadOnlySpan{float})"/> runs. With a a multiple of 256 frames its blocks (energy prefix sums,
/// block correlations) are the whole-signal run's, so the values are identical.
/// </summary>
internal sealed class PitchKernel(PitchTracker tracker) : FrameKernel
{
    private readonly int _hop = tracker.Options.HopLength, _half = tracker.Options.FrameLength / 2;

    public override IReadOnlyList<string> Names { get; } = ["f0_hz", "voicing_prob"];

    public override long FrameCount(long samples) => samples == 0 ? 0 : 1 + samples / _hop;

    public override (long Lo, long Hi) Support(long a, long b) => (a * _hop - _half, (b - 1) * _hop - _half + tracker.PaddedFrameSpan);

    public override double Time(long frame) => frame * (double)_hop / tracker.Options.SampleRate;

    public override void Compute(SampleWindow window, long a, int count, float[] dest)
    {
        var local = new float[(count - 1) * _hop + tracker.PaddedFrameSpan];
        long first = a * _hop - _half; // signal index of local[0]; zeros outside the signal
        long lo = Math.Max(first, 0), hi = Math.Min(first + local.Length, window.Total ?? long.MaxValue);
        if (hi > lo) window.Slice(lo, (int)(hi - lo)).CopyTo(local.AsSpan((int)(lo - first)));
        var f0 = new float[count];
        var prob = new float[count];
        tracker.ComputePadded(local, count, f0, prob);
        for (int i = 0; i < count; i++) { dest[2 * i] = f0[i]; dest[2 * i + 1] = prob[i]; }
    }
}
