using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Frame placement shared by <see cref="ShortTimeEnergy"/> and <see cref="ZeroCrossingRate"/>: the same grid as the
/// spectrogram (frame i covers <c>xp[i·hop .. i·hop + NFft − 1]</c> of the centred, padded signal), and the analysed
/// samples are the <c>W = WinLength</c> samples under the centred window, <c>xp[i·hop + L + m]</c>,
/// <c>L = floor((NFft − W)/2)</c>, with no window applied.
/// </summary>
public sealed record FrameOptions
{
    public int SampleRate { get; init; } = 16000;
    public int NFft { get; init; } = 512;
    public int HopLength { get; init; } = 160;
    public int? WinLength { get; init; }
    public bool Center { get; init; } = true;
    public PadMode PadMode { get; init; } = PadMode.Reflect;

    public int EffectiveWinLength => WinLength ?? NFft;

    public void Validate() => AddProblems(new OptionsValidator(nameof(FrameOptions))).ThrowFeatureIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        v.InRange(nameof(SampleRate), SampleRate, 1, 10_000_000);
        v.Check(NFft >= 2 && NFft % 2 == 0 && NFft <= 1 << 20, $"NFft = {NFft} must be an even number in [2, 1048576]");
        v.InRange(nameof(HopLength), HopLength, 1, 1 << 24);
        if (WinLength is int w) v.Check(w >= 2 && w <= NFft, $"WinLength = {w} must be in [2, NFft = {NFft}]");
        return v;
    }
}

/// <summary>
/// Short-time energy (anchors definition): <c>energy = (1/W)·Σ_m y[m]²</c> over the W analysed samples of the frame
/// (see <see cref="FrameOptions"/>; no window), and <c>log_energy_db = 10·log10(energy + 1e-10)</c>, so digital
/// silence gives 0 and −100 dB. Sums are accumulated in double. Output [frames × 2]: energy, log_energy_db.
/// </summary>
public sealed class ShortTimeEnergy
{
    public FrameOptions Options { get; }
    public const double Floor = 1e-10;

    public ShortTimeEnergy(FrameOptions? options = null) { Options = options ?? new FrameOptions(); Options.Validate(); }

    /// <summary>The W analysed samples → (energy, dB).</summary>
    public static (float Energy, float Db) ProcessFrame(ReadOnlySpan<float> y)
    {
        double s = 0;
        for (int m = 0; m < y.Length; m++) s += (double)y[m] * y[m];
        double e = y.Length == 0 ? 0 : s / y.Length;
        return ((float)e, (float)(10 * Math.Log10(e + Floor)));
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var fs = new FramedSignal(signal, Options.NFft, Options.HopLength, Options.Center, Options.PadMode);
        int w = Options.EffectiveWinLength, l = (Options.NFft - w) / 2;
        var data = new float[fs.Frames * 2];
        FeatureParallelism.For(fs.Frames, (a, b) =>
        {
            for (int i = a; i < b; i++)
            {
                var (e, d) = ProcessFrame(fs.Frame(i).Slice(l, w));
                data[2 * i] = e; data[2 * i + 1] = d;
            }
        });
        return new FeatureMatrix(data, fs.Frames, 2, ["energy", "log_energy_db"],
            SignalGuard.Times(fs.Frames, Options.HopLength, Options.NFft, Options.Center, Options.SampleRate), Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(ShortTimeEnergy)));
}

/// <summary>
/// Zero-crossing rate (anchors definition): <c>s[m] = (y[m] ≥ 0)</c> (zero counts as positive, librosa
/// <c>zero_pos=True</c>), <c>zcr = #{m ∈ 1..W−1 : s[m] ≠ s[m−1]} / (W − 1)</c> — a fraction of the W−1 adjacent pairs
/// (librosa divides by W). Exact fractions. Output [frames × 1].
/// </summary>
public sealed class ZeroCrossingRate
{
    public FrameOptions Options { get; }

    public ZeroCrossingRate(FrameOptions? options = null) { Options = options ?? new FrameOptions(); Options.Validate(); }

    /// <summary>The W analysed samples → crossing rate in [0, 1].</summary>
    public static float ProcessFrame(ReadOnlySpan<float> y)
    {
        if (y.Length < 2) return 0f;
        int c = 0;
        bool prev = y[0] >= 0;
        for (int m = 1; m < y.Length; m++)
        {
            bool cur = y[m] >= 0;
            if (cur != prev) c++;
            prev = cur;
        }
        return (float)((double)c / (y.Length - 1));
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var fs = new FramedSignal(signal, Options.NFft, Options.HopLength, Options.Center, Options.PadMode);
        int w = Options.EffectiveWinLength, l = (Options.NFft - w) / 2;
        var data = new float[fs.Frames];
        FeatureParallelism.For(fs.Frames, (a, b) => { for (int i = a; i < b; i++) data[i] = ProcessFrame(fs.Frame(i).Slice(l, w)); });
        return new FeatureMatrix(data, fs.Frames, 1, ["zcr"],
            SignalGuard.Times(fs.Frames, Options.HopLength, Options.NFft, Options.Center, Options.SampleRate), Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(ZeroCrossingRate)));
}

/// <summary>CSV output in the DSP-anchors format: header row, invariant culture, round-trip floats.</summary>
public static class FeatureCsv
{
    /// <summary>
    /// Writes a header and one row per frame. <paramref name="includeTime"/> prepends a <c>time_s</c> column from
    /// <see cref="FeatureMatrix.FrameTimes"/>; <paramref name="columns"/> selects columns (null = all).
    /// Floats are written with <c>"R"</c> (shortest round-trip), doubles likewise; line ending <c>\n</c>.
    /// </summary>
    public static void Write(FeatureMatrix m, TextWriter w, bool includeTime = false, IReadOnlyList<int>? columns = null)
    {
        var cols = columns ?? Enumerable.Range(0, m.Columns).ToArray();
        var head = new List<string>();
        if (includeTime) head.Add("time_s");
        foreach (var c in cols) head.Add(m.FeatureNames[c]);
        w.Write(string.Join(",", head));
        w.Write('\n');
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < m.Rows; i++)
        {
            sb.Clear();
            if (includeTime) sb.Append(m.FrameTimes[i].ToString("R", CultureInfo.InvariantCulture));
            for (int j = 0; j < cols.Count; j++)
            {
                if (j > 0 || includeTime) sb.Append(',');
                sb.Append(m[i, cols[j]].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
            w.Write(sb);
        }
    }

    /// <summary>Writes to a file atomically (temp file + rename), UTF-8 without BOM.</summary>
    public static void Write(FeatureMatrix m, string path, bool includeTime = false, IReadOnlyList<int>? columns = null)
    {
        AtomicFile.Write(path, stream =>
        {
            using var sw = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            Write(m, sw, includeTime, columns);
        });
    }
}
