using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// What can be said about rhythm from audio alone, without transcription — the fallback for recordings without MIDI.
/// <list type="number">
/// <item>Onset envelope o[t]: <see cref="OnsetStrength"/> (librosa <c>onset_strength</c>: mean over mel bands of the
/// rectified dB-log-mel difference, lag 1).</item>
/// <item>Onsets: librosa <c>onset_detect</c>'s peak picking on o normalised to [0, 1] per clip
/// (<c>o' = (o − min o)/(max o − min o)</c>): frame n is an onset when o'[n] = max o'[n − pre_max … n + post_max − 1],
/// o'[n] ≥ mean o'[n − pre_avg … n + post_avg − 1] + delta and n is more than <c>wait</c> frames after the previous onset
/// (windows are clipped at the clip's ends; librosa pads instead, which only matters within 0.1 s of either end).</item>
/// <item>Tempo: <see cref="TempoEstimator"/> on o (clip), and on a <see cref="TempoOptions.LocalWindowSeconds"/> window
/// around each segment with the prior centred on the clip tempo (local).</item>
/// </list>
/// Columns (<see cref="Columns"/>): <c>onset_strength_mean</c>, <c>onset_strength_std</c> (o over frames whose centre lies in the
/// window; dB per band), <c>onset_rate_per_s</c> (detected onsets / window length), <c>tempo_bpm</c>, <c>tempo_log2_ratio</c>
/// (log2 local/clip tempo; 0 for the clip row), <c>pulse_clarity</c>, and over the inter-onset intervals of successive detected
/// onsets both in the window: <c>onset_ioi_cv</c> (std/mean), <c>onset_ioi_npvi</c> (Grabe &amp; Low 2002, as the score view)
/// and <c>onset_ioi_entropy</c> (bits over the score view's quarter-octave IOI bins). These are estimates of what the score
/// and performance views measure exactly (note density ≈ onset rate; the IOI statistics); pitch, harmony, velocity,
/// articulation and pedal are not derivable without transcription and are not imitated. Windows without frames or
/// onsets give 0.
/// </summary>
public sealed class AudioRhythmExtractor
{
    public AudioRhythmOptions Options { get; }

    /// <summary>Part of the cache key of <see cref="MultiViewExtractor"/>; bumped whenever a formula or the column list changes.</summary>
    public const int CacheVersion = 1;

    /// <summary>The 9 column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["onset_strength_mean", "onset_strength_std", "onset_rate_per_s", "tempo_bpm", "tempo_log2_ratio", "pulse_clarity",
         "onset_ioi_cv", "onset_ioi_npvi", "onset_ioi_entropy"];

    public AudioRhythmExtractor(AudioRhythmOptions? options = null)
    {
        Options = options ?? new AudioRhythmOptions();
        Options.Validate();
    }

    public AudioRhythmFeatures Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(AudioRhythmExtractor)));

    /// <summary>Features of a mono signal at <see cref="AudioRhythmOptions.SampleRate"/>. An empty signal gives 0 segments and a zero clip row.</summary>
    public AudioRhythmFeatures Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        int sr = Options.SampleRate, hop = Options.LogMel.Mel.HopLength;
        double fps = sr / (double)hop;
        var env = signal.Length == 0
            ? new FeatureMatrix([], 0, 1, ["onset_strength"], [], Options.LogMel)
            : OnsetStrength.Compute(signal, Options.LogMel, Options.Lag);
        var o = env.Data;
        var onsets = PickPeaks(o, fps);
        var onsetTimes = onsets.Select(i => env.FrameTimes[i]).ToArray();
        var clipTempo = TempoEstimator.Estimate(o, fps, Options.Tempo);

        var segs = SegmentGrid.Cut(signal.Length, sr, Options.SegmentSeconds, Options.OverlapSeconds, Options.LastSegment, Options.MinLastSegmentFraction);
        int nc = Columns.Count;
        var data = new float[segs.Count * nc];
        var times = new double[segs.Count];
        for (int s = 0; s < segs.Count; s++)
        {
            var (start, end) = segs[s];
            times[s] = start / (double)sr;
            int f0 = (start + hop - 1) / hop, f1 = Math.Min(o.Length, (end + hop - 1) / hop); // centres i·hop ∈ [start, end)
            double t0 = start / (double)sr, t1 = end / (double)sr, mid = (t0 + t1) / 2;
            double half = Math.Max(Options.Tempo.LocalWindowSeconds, t1 - t0) / 2;
            int l0 = Math.Max(0, (int)Math.Floor((mid - half) * fps)), l1 = Math.Min(o.Length, (int)Math.Ceiling((mid + half) * fps));
            var local = TempoEstimator.Estimate(l1 > l0 ? o.AsSpan(l0, l1 - l0) : Span<float>.Empty, fps, Options.Tempo,
                clipTempo.Valid ? clipTempo.Bpm : null, clipTempo.Valid ? Options.Tempo.LocalStdOctaves : null);
            double bpm = local.Valid ? local.Bpm : clipTempo.Bpm;
            Row(o, f0, Math.Max(f0, f1), onsetTimes, t0, t1, bpm, bpm > 0 && clipTempo.Bpm > 0 ? Math.Log2(bpm / clipTempo.Bpm) : 0,
                local.PulseClarity, data.AsSpan(s * nc, nc));
        }
        var clipRow = new float[nc];
        double len = signal.Length / (double)sr;
        if (signal.Length > 0) Row(o, 0, o.Length, onsetTimes, 0, len, clipTempo.Bpm, 0, clipTempo.PulseClarity, clipRow);
        return new AudioRhythmFeatures(
            new FeatureMatrix(data, segs.Count, nc, Columns, times, Options),
            new FeatureMatrix(clipRow, 1, nc, Columns, [0.0], Options),
            env, onsetTimes);
    }

    private static void Row(float[] o, int f0, int f1, double[] onsets, double t0, double t1, double bpm, double ratio, double clarity, Span<float> r)
    {
        int n = f1 - f0;
        double m = 0, sd = 0;
        if (n > 0)
        {
            for (int i = f0; i < f1; i++) m += o[i];
            m /= n;
            for (int i = f0; i < f1; i++) sd += (o[i] - m) * (o[i] - m);
            sd = Math.Sqrt(sd / n);
        }
        var inWin = onsets.Where(t => t >= t0 && t < t1).ToArray();
        var ioi = new double[Math.Max(0, inWin.Length - 1)];
        for (int i = 1; i < inWin.Length; i++) ioi[i - 1] = inWin[i] - inWin[i - 1];
        double im = ioi.Length == 0 ? 0 : ioi.Average();
        double isd = ioi.Length == 0 ? 0 : Math.Sqrt(ioi.Sum(x => (x - im) * (x - im)) / ioi.Length);
        double pvi = 0;
        for (int i = 1; i < ioi.Length; i++) pvi += Math.Abs(ioi[i] - ioi[i - 1]) / ((ioi[i] + ioi[i - 1]) / 2);
        var bins = new double[Symbolic.SymbolicFeatureExtractor.IoiBins];
        foreach (var x in ioi) bins[Symbolic.SymbolicFeatureExtractor.IoiBin(x)]++;
        double ent = 0;
        foreach (var b in bins) if (b > 0) ent -= b / ioi.Length * Math.Log2(b / ioi.Length);
        double[] v = [m, sd, inWin.Length / (t1 - t0), bpm, ratio, clarity, im > 0 ? isd / im : 0, ioi.Length >= 2 ? 100 * pvi / (ioi.Length - 1) : 0, ent];
        for (int j = 0; j < v.Length; j++) r[j] = double.IsFinite(v[j]) ? (float)v[j] : 0f;
    }

    /// <summary>librosa <c>util.peak_pick</c> with <c>onset_detect</c>'s defaults on the per-clip normalised envelope; frame indices.</summary>
    internal int[] PickPeaks(float[] o, double fps)
    {
        var p = new List<int>();
        if (o.Length == 0) return [];
        float min = o.Min(), max = o.Max();
        if (!(max > min)) return [];
        var x = o.Select(v => (v - min) / (max - min)).ToArray();
        int Frames(double s) => (int)Math.Floor(s * fps + 1e-9);
        int preMax = Frames(Options.PreMaxSeconds), postMax = Frames(Options.PostMaxSeconds) + 1;
        int preAvg = Frames(Options.PreAvgSeconds), postAvg = Frames(Options.PostAvgSeconds) + 1, wait = Frames(Options.WaitSeconds);
        int last = int.MinValue / 2;
        for (int n = 0; n < x.Length; n++)
        {
            float mx = float.MinValue;
            for (int j = Math.Max(0, n - preMax); j < Math.Min(x.Length, n + postMax); j++) mx = Math.Max(mx, x[j]);
            if (x[n] != mx) continue;
            double avg = 0; int cnt = 0;
            for (int j = Math.Max(0, n - preAvg); j < Math.Min(x.Length, n + postAvg); j++) { avg += x[j]; cnt++; }
            if (x[n] < avg / cnt + Options.Delta) continue;
            if (n - last <= wait) continue;
            p.Add(n); last = n;
        }
        return [.. p];
    }
}
