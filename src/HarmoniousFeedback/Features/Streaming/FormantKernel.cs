namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// <see cref="FormantTracker"/> frames (F1..F4, B1..B4). The tracker analyses the prepared signal y (resampled to the
/// analysis rate, pre-emphasised: <see cref="FormantTracker.Prepare"/>); frame i reads y around <c>round(i·hop·fs_a/sr)</c>.
/// For frames [a, b) this kernel prepares a stretch of the input <c>x[s, e)</c> and uses its interior: s is a multiple of the
/// resampler's decimation factor M (so the stretch's output k' is the whole signal's output k' + s·L/M, with the same
/// polyphase taps) and lies far enough before the frames that every output they read, and the one before it (pre-emphasis),
/// comes from taps wholly inside the stretch; e lies far enough after them (or is the signal's end). Then
/// <see cref="FormantTracker.ComputePadded"/> runs the whole-signal code, warm starts restarting every 256 frames from a.
/// </summary>
internal sealed class FormantKernel : FrameKernel
{
    private readonly FormantTracker _tracker;
    private readonly int _hop, _len, _half, _up, _down;
    private readonly long _reach; // input samples beyond (k·M ± halfWidth)/L an output may read, with the vector path's padding

    public FormantKernel(FormantTracker tracker)
    {
        _tracker = tracker;
        _hop = tracker.Options.HopLength;
        _len = tracker.WindowLength;
        _half = _len / 2;
        var r = tracker.Resampler;
        _up = r?.Up ?? 1;
        _down = r?.Down ?? 1;
        _reach = r is null ? 0 : r.HalfWidth / r.Up + 32;
    }

    public override IReadOnlyList<string> Names { get; } = FormantTracker.ColumnNames;

    public override long FrameCount(long samples) => samples == 0 ? 0 : 1 + samples / _hop;

    public override double Time(long frame) => frame * (double)_hop / _tracker.Options.SampleRate;

    /// <summary>Prepared samples [k0, k1) that frames [a, b) read.</summary>
    private (long K0, long K1) Prepared(long a, long b) => (_tracker.Centre(a) - _half, _tracker.Centre(b - 1) - _half + _len);

    /// <summary>The input stretch [s, e) (before clipping to the signal) that prepares outputs [k0 − 1, k1) exactly.</summary>
    private (long S, long E) Stretch(long a, long b)
    {
        var (k0, k1) = Prepared(a, b);
        long s = FloorDiv((k0 - 1) * _down, _up) - _reach;
        s = FloorDiv(s, _down) * _down - _down; // a multiple of M, one more period back
        long e = FloorDiv((k1 - 1) * _down, _up) + _reach + 1;
        return (s, e);
    }

    public override (long Lo, long Hi) Support(long a, long b) => Stretch(a, b);

    public override void Compute(SampleWindow window, long a, int count, float[] dest)
    {
        long n = window.Total ?? long.MaxValue;
        var (s, e) = Stretch(a, a + count);
        s = Math.Max(s, 0);
        e = Math.Min(e, n);
        var y = _tracker.Prepare(window.Slice(s, (int)(e - s)));
        long ks = s / _down * _up; // whole-signal index of y[0]
        long ny = window.Total is long total ? (total * _up + _down - 1) / _down : long.MaxValue; // RationalResampler.OutputLength
        var (k0, k1) = Prepared(a, a + count);
        var local = new float[k1 - k0]; // prepared samples k0 .. k1 − 1, zero outside [0, ny)
        for (long k = Math.Max(k0, 0); k < Math.Min(k1, ny); k++) local[k - k0] = y[k - ks];
        var data = new float[count * 8];
        _tracker.ComputePadded(local, k0 + _len, a, count, data);
        data.CopyTo(dest, 0);
    }

    private static long FloorDiv(long x, long d) => x >= 0 ? x / d : -((-x + d - 1) / d);
}
