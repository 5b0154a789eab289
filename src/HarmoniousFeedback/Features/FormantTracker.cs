using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Formant frequencies and bandwidths F1–F4 by LPC. Steps: resample to <c>AnalysisSampleRate</c> (if lower than the
/// input rate) → pre-emphasis → per frame, a Hamming window of <c>WindowSeconds</c> centred on the frame time
/// <c>i·hop/sr</c> → autocorrelation r[0..p] → Levinson–Durbin → roots z of <c>A(z)</c> → for roots with Im z &gt; 0:
/// <c>F = arg(z)·fs/(2π)</c>, <c>B = −ln|z|·fs/π</c>; roots with F &lt; MinFormantHz, F &gt; fs/2 − 50 Hz or
/// B &gt; MaxBandwidthHz are rejected; the lowest four remaining are F1..F4 (0 when fewer remain or the frame is silent).
/// Output [frames × 8]: F1_hz..F4_hz, B1_hz..B4_hz. Meets the anchors' median relative error limits (F1 ≤ 10 %,
/// F2 ≤ 8 %, F3 ≤ 6 %, F4 ≤ 8 %) on synthetic male/female vowels and 30 dB pink noise.
/// <para><see cref="Compute(ReadOnlySpan{float})"/> warm-starts the root finder of each frame from the previous frame's
/// roots (cold start from the circle when there are none, when the warm start does not converge or when two roots
/// coincide); <see cref="ProcessFrame(ReadOnlySpan{float}, Span{float})"/> always starts cold (the reference). Both converge
/// to the same roots to the finder's tolerance (1e-10 relative), so formants agree to well below 0.01 Hz.</para>
/// </summary>
public sealed class FormantTracker
{
    public FormantOptions Options { get; }
    public static readonly string[] ColumnNames = ["F1_hz", "F2_hz", "F3_hz", "F4_hz", "B1_hz", "B2_hz", "B3_hz", "B4_hz"];
    private readonly RationalResampler? _resampler;
    private readonly double[] _window;

    public FormantTracker(FormantOptions? options = null)
    {
        Options = options ?? new FormantOptions();
        Options.Validate();
        int fs = Options.EffectiveAnalysisRate;
        if (fs != Options.SampleRate) _resampler = new RationalResampler(Options.SampleRate, fs);
        int len = Math.Max(8, (int)Math.Round(Options.WindowSeconds * fs));
        _window = new double[len];
        for (int m = 0; m < len; m++) _window[m] = 0.54 - 0.46 * Math.Cos(2 * Math.PI * m / (len - 1));
    }

    /// <summary>
    /// One frame at the analysis rate, already pre-emphasised, exactly as long as the window → 8 values
    /// (F1..F4, B1..B4; zeros where no estimate).
    /// </summary>
    public void ProcessFrame(ReadOnlySpan<float> frame, Span<float> output) => ProcessFrame(frame, output, null);

    /// <summary>
    /// The previous frame's LPC roots, used by <see cref="Compute(ReadOnlySpan{float})"/> to warm-start the root finder
    /// (consecutive frames overlap by two thirds, so their roots are close and Aberth converges in a few iterations).
    /// </summary>
    private sealed class WarmRoots(int order)
    {
        public readonly double[] Re = new double[order], Im = new double[order];
        public bool Valid;
    }

    private void ProcessFrame(ReadOnlySpan<float> frame, Span<float> output, WarmRoots? warm)
    {
        if (frame.Length != _window.Length) throw new ShapeMismatchException($"formant frame has {frame.Length} samples, window is {_window.Length}");
        if (output.Length < 8) throw new ShapeMismatchException($"formant output has {output.Length} values, needs 8 (F1..F4, B1..B4)");
        output[..8].Clear();
        double fs = Options.EffectiveAnalysisRate;
        int p = Options.EffectiveOrder;
        Span<double> x = frame.Length <= 2048 ? stackalloc double[frame.Length] : new double[frame.Length];
        double energy = 0;
        for (int m = 0; m < frame.Length; m++) { energy += (double)frame[m] * frame[m]; x[m] = frame[m] * _window[m]; }
        if (10 * Math.Log10(energy / frame.Length + 1e-20) < Options.SilenceDb) return;
        Span<double> r = stackalloc double[p + 1];
        Lpc.Autocorrelation(x, r);
        r[0] *= 1 + 1e-9; // white-noise correction keeps the recursion stable on nearly periodic frames
        Span<double> a = stackalloc double[p + 1];
        Lpc.LevinsonDurbin(r, a);
        Span<double> zr = stackalloc double[p], zi = stackalloc double[p];
        bool ok = false;
        if (warm is { Valid: true })
        {
            warm.Re.CopyTo(zr); warm.Im.CopyTo(zi);
            ok = Lpc.Roots(a, zr, zi, warmStart: true) && Distinct(zr, zi);
        }
        if (!ok) ok = Lpc.Roots(a, zr, zi, warmStart: false); // cold start: the reference path
        if (warm is not null)
        {
            warm.Valid = ok && Distinct(zr, zi);
            if (warm.Valid) { zr.CopyTo(warm.Re); zi.CopyTo(warm.Im); }
        }
        Span<(double F, double B)> cand = stackalloc (double, double)[p];
        int nc = 0;
        for (int i = 0; i < p; i++)
        {
            if (zi[i] <= 0) continue;
            double f = Math.Atan2(zi[i], zr[i]) * fs / (2 * Math.PI);
            double bw = -Math.Log(System.Numerics.Complex.Abs(new System.Numerics.Complex(zr[i], zi[i]))) * fs / Math.PI;
            if (f < Options.MinFormantHz || f > fs / 2 - 50 || bw > Options.MaxBandwidthHz || bw <= 0) continue;
            cand[nc++] = (f, bw);
        }
        cand[..nc].Sort(static (u, v) => u.F.CompareTo(v.F));
        for (int k = 0; k < Math.Min(4, nc); k++) { output[k] = (float)cand[k].F; output[4 + k] = (float)cand[k].B; }
    }

    /// <summary>True when no two roots coincide (relative distance ≥ 1e-6): a warm start must not let two approximations settle on one root.</summary>
    private static bool Distinct(ReadOnlySpan<double> zr, ReadOnlySpan<double> zi)
    {
        for (int i = 0; i < zr.Length; i++)
            for (int j = i + 1; j < zr.Length; j++)
            {
                double ur = zr[i] - zr[j], ui = zi[i] - zi[j];
                if (ur * ur + ui * ui < 1e-12 * Math.Max(1, zr[i] * zr[i] + zi[i] * zi[i])) return false;
            }
        return true;
    }

    /// <summary>The signal as the tracker analyses it: resampled to the analysis rate and pre-emphasised.</summary>
    public float[] Prepare(ReadOnlySpan<float> signal)
    {
        var y = _resampler is null ? signal.ToArray() : _resampler.Process(signal);
        float alpha = (float)Options.PreEmphasis;
        if (alpha != 0) for (int n = y.Length - 1; n >= 1; n--) y[n] -= alpha * y[n - 1];
        return y;
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var o = Options;
        int frames = Framing.FrameCount(signal.Length, 2, o.HopLength, center: true);
        var y = Prepare(signal);
        var padded = Framing.Pad(y, WindowLength, PadMode.Constant);
        var data = new float[frames * 8];
        ComputePadded(padded, 0, 0, frames, data);
        return new FeatureMatrix(data, frames, 8, ColumnNames, SignalGuard.Times(frames, o.HopLength, 0, true, o.SampleRate), o);
    }

    /// <summary>Samples of the analysis window at the analysis rate.</summary>
    internal int WindowLength => _window.Length;

    /// <summary>The resampler to the analysis rate, or null when the input is analysed at its own rate.</summary>
    internal RationalResampler? Resampler => _resampler;

    /// <summary>
    /// Centre of frame <paramref name="frame"/> in samples of the prepared (analysis-rate) signal: <c>round(i·hop·fs_a/sr)</c>.
    /// Frame i reads prepared samples <c>[centre − WindowLength/2, centre − WindowLength/2 + WindowLength)</c> (zeros outside).
    /// </summary>
    internal long Centre(long frame) => (long)Math.Round(frame * (double)Options.HopLength * ((double)Options.EffectiveAnalysisRate / Options.SampleRate));

    /// <summary>
    /// Frames <c>first .. first + count − 1</c> into <paramref name="data"/> (8 values per frame, from index 0), reading the prepared
    /// signal padded by WindowLength zeros in front: <c>padded[p − paddedStart]</c> holds padded sample p. The root finder's warm
    /// start restarts every <see cref="FeatureParallelism.Grain"/> frames from <paramref name="first"/>; streaming extraction passes a
    /// multiple of Grain, so its blocks and results are those of a whole-signal run.
    /// </summary>
    internal void ComputePadded(float[] padded, long paddedStart, long first, int count, float[] data)
    {
        int len = _window.Length, half = len / 2, order = Options.EffectiveOrder;
        FeatureParallelism.For(count, (a, b) =>
        {
            var warm = new WarmRoots(order); // per block, so results do not depend on the thread count
            for (int i = a; i < b; i++)
            {
                long centre = Centre(first + i);
                ProcessFrame(padded.AsSpan((int)(centre - half + len - paddedStart), len), data.AsSpan(i * 8, 8), warm);
            }
        });
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(FormantTracker)));
}
