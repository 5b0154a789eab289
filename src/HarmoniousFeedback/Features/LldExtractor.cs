using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// The 50-dim low-level-descriptor (LLD) segment vector of the piano-emotion method, and its frame-level variant.
/// A clip is cut into segments (<see cref="LldOptions.SegmentSeconds"/>, overlap, tail rule); a segment holds the
/// frames whose centre time lies in [start, end). Per segment: 18 MFCC means + 8 formant dims + 10 energy dims +
/// 6 pitch dims + 8 ZCR dims = 50, named in <see cref="SegmentColumns"/> and documented in docs/features.md.
/// Never NaN: statistics over no frames are 0, F0 statistics of an unvoiced segment are 0 (voiced fraction 0 tells
/// them apart), a formant never estimated in the segment is 0.
/// </summary>
public sealed class LldExtractor
{
    public LldOptions Options { get; }
    private readonly Mfcc _mfcc;
    private readonly ShortTimeEnergy _energy;
    private readonly ZeroCrossingRate _zcr;
    private readonly PitchTracker _pitch;
    private readonly FormantTracker _formants;

    /// <summary>The 50 segment-level column names, in order.</summary>
    public static IReadOnlyList<string> SegmentColumns { get; } = BuildSegmentColumns();

    /// <summary>The 31 frame-level column names: 18 MFCC, F1–F4, B1–B4, energy, log-energy dB, F0, voicing probability, ZCR.</summary>
    public static IReadOnlyList<string> FrameColumns { get; } =
        [.. Enumerable.Range(0, 18).Select(i => "mfcc_" + i), "F1_hz", "F2_hz", "F3_hz", "F4_hz", "B1_hz", "B2_hz", "B3_hz", "B4_hz",
         "energy", "log_energy_db", "f0_hz", "voicing_prob", "zcr"];

    private static string[] BuildSegmentColumns()
    {
        var c = new List<string>();
        for (int i = 0; i < 18; i++) c.Add("mfcc_mean_" + i);
        c.AddRange(["F1_mean_hz", "F2_mean_hz", "F3_mean_hz", "F4_mean_hz", "B1_mean_hz", "B2_mean_hz", "B3_mean_hz", "B4_mean_hz"]);
        c.AddRange(["energy_mean", "energy_std", "energy_min", "energy_max", "energy_median", "energy_p10", "energy_p90",
                    "energy_db_mean", "energy_db_std", "energy_db_slope_per_s"]);
        c.AddRange(["voiced_fraction", "log_f0_mean", "log_f0_std", "log_f0_min", "log_f0_max", "voicing_prob_mean"]);
        c.AddRange(["zcr_mean", "zcr_std", "zcr_min", "zcr_max", "zcr_median", "zcr_p10", "zcr_p90", "zcr_slope_per_s"]);
        return [.. c];
    }

    public LldExtractor(LldOptions? options = null)
    {
        Options = options ?? new LldOptions();
        Options.Validate();
        _mfcc = new Mfcc(Options.Mfcc);
        _energy = new ShortTimeEnergy(Options.Frame);
        _zcr = new ZeroCrossingRate(Options.Frame);
        _pitch = new PitchTracker(Options.EffectivePitch);
        _formants = new FormantTracker(Options.EffectiveFormants);
    }

    /// <summary>
    /// Frame-level descriptor [frames × 31] (<see cref="FrameColumns"/>), frames centred on i·hop. MFCCs use the clip-level top_db.
    /// </summary>
    public FeatureMatrix ComputeFrames(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var mf = _mfcc.Compute(signal);
        var en = _energy.Compute(signal);
        var zc = _zcr.Compute(signal);
        var pt = _pitch.Compute(signal);
        var fo = _formants.Compute(signal);
        int f = mf.Rows, c = FrameColumns.Count;
        if (en.Rows != f || zc.Rows != f || pt.Rows != f || fo.Rows != f)
            throw new ShapeMismatchException($"LLD frame counts differ: mfcc {f}, energy {en.Rows}, zcr {zc.Rows}, pitch {pt.Rows}, formants {fo.Rows}");
        var data = new float[f * c];
        for (int i = 0; i < f; i++)
        {
            var row = data.AsSpan(i * c, c);
            mf.Row(i).CopyTo(row);
            fo.Row(i).CopyTo(row[18..]);
            row[26] = en[i, 0]; row[27] = en[i, 1];
            row[28] = pt[i, 0]; row[29] = pt[i, 1];
            row[30] = zc[i, 0];
        }
        return new FeatureMatrix(data, f, c, FrameColumns, mf.FrameTimes, Options);
    }

    public FeatureMatrix ComputeFrames(AudioClip clip) => ComputeFrames(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(LldExtractor)));

    /// <summary>Segment boundaries (start, end) in samples for a clip of <paramref name="length"/> samples (<see cref="SegmentGrid"/>).</summary>
    public IReadOnlyList<(int Start, int End)> Segments(int length) => SegmentGrid.Cut(length, Options);

    /// <summary>
    /// Segment-level descriptor [segments × 50] (<see cref="SegmentColumns"/>); row times are segment starts (s).
    /// </summary>
    public FeatureMatrix ComputeSegments(ReadOnlySpan<float> signal)
    {
        var frames = ComputeFrames(signal);
        var segs = Segments(signal.Length);
        int hop = Options.Mfcc.Mel.HopLength;
        var data = new float[segs.Count * 50];
        var times = new double[segs.Count];
        for (int s = 0; s < segs.Count; s++)
        {
            var (start, end) = segs[s];
            int i0 = (start + hop - 1) / hop, i1 = Math.Min(frames.Rows, (end + hop - 1) / hop); // centres i·hop ∈ [start, end)
            Describe(frames, i0, i1, hop / (double)Options.SampleRate, data.AsSpan(s * 50, 50));
            times[s] = start / (double)Options.SampleRate;
        }
        return new FeatureMatrix(data, segs.Count, 50, SegmentColumns, times, Options);
    }

    public FeatureMatrix ComputeSegments(AudioClip clip) => ComputeSegments(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(LldExtractor)));

    /// <summary>The 50 values of one segment from frame-level rows [i0, i1) of <paramref name="frames"/> (31 columns).</summary>
    internal static void Describe(FeatureMatrix frames, int i0, int i1, double frameStep, Span<float> o)
    {
        int n = Math.Max(0, i1 - i0);
        var buf = new double[n];
        double[] Col(int c) { for (int i = 0; i < n; i++) buf[i] = frames[i0 + i, c]; return buf; }
        for (int q = 0; q < 18; q++) o[q] = (float)Mean(Col(q));
        for (int k = 0; k < 8; k++) // formant means over frames with an estimate (F_k > 0)
        {
            double sum = 0; int cnt = 0;
            for (int i = i0; i < i1; i++) if (frames[i, 18 + (k % 4)] > 0) { sum += frames[i, 18 + k]; cnt++; }
            o[18 + k] = cnt == 0 ? 0f : (float)(sum / cnt);
        }
        var e = (double[])Col(26).Clone();
        Stats(e, o[26..], frameStep, slope: false);
        var ed = Col(27);
        o[33] = (float)Mean(ed); o[34] = (float)Std(ed); o[35] = (float)Slope(ed, frameStep);
        // pitch
        var logF0 = new List<double>(n);
        double prob = 0;
        for (int i = i0; i < i1; i++) { float f0 = frames[i, 28]; if (f0 > 0) logF0.Add(Math.Log(f0)); prob += frames[i, 29]; }
        o[36] = n == 0 ? 0f : (float)((double)logF0.Count / n);
        var lf = logF0.ToArray();
        o[37] = (float)Mean(lf); o[38] = (float)Std(lf);
        o[39] = lf.Length == 0 ? 0f : (float)lf.Min(); o[40] = lf.Length == 0 ? 0f : (float)lf.Max();
        o[41] = n == 0 ? 0f : (float)(prob / n);
        Stats(Col(30), o[42..], frameStep, slope: true);
    }

    // mean, std, min, max, median, p10, p90 (+ slope) → 7 or 8 values
    private static void Stats(double[] x, Span<float> o, double step, bool slope)
    {
        o[0] = (float)Mean(x); o[1] = (float)Std(x);
        if (x.Length == 0) { o[2..(slope ? 8 : 7)].Clear(); return; }
        double sl = slope ? Slope(x, step) : 0;
        var s = (double[])x.Clone();
        Array.Sort(s);
        o[2] = (float)s[0]; o[3] = (float)s[^1];
        o[4] = (float)Percentile(s, 50); o[5] = (float)Percentile(s, 10); o[6] = (float)Percentile(s, 90);
        if (slope) o[7] = (float)sl;
    }

    internal static double Mean(double[] x) => x.Length == 0 ? 0 : x.Sum() / x.Length;

    /// <summary>Population standard deviation (ddof = 0); 0 for fewer than 2 values.</summary>
    internal static double Std(double[] x)
    {
        if (x.Length < 2) return 0;
        double m = Mean(x), s = 0;
        foreach (var v in x) s += (v - m) * (v - m);
        return Math.Sqrt(s / x.Length);
    }

    /// <summary>Percentile of sorted data with linear interpolation (numpy's default).</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        double pos = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>Least-squares slope of x against time t_i = i·step (units per second); 0 for fewer than 2 values.</summary>
    internal static double Slope(double[] x, double step)
    {
        int n = x.Length;
        if (n < 2) return 0;
        double tm = (n - 1) / 2.0, xm = Mean(x), num = 0, den = 0;
        for (int i = 0; i < n; i++) { num += (i - tm) * (x[i] - xm); den += (i - tm) * (i - tm); }
        return num / den / step;
    }
}
