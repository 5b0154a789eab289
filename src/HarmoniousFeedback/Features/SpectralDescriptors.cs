using System.Globalization;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Per-frame spectral shape descriptors on a magnitude spectrum <c>S[k]</c> with bin frequencies <c>f_k = k·sr/n_fft</c>,
/// following librosa.feature (spectral_centroid, spectral_bandwidth, spectral_rolloff, spectral_flatness). All are
/// defined (never NaN) on an all-zero spectrum: centroid, bandwidth and roll-off are 0, flatness is 1 (amin floor
/// everywhere: geometric mean = arithmetic mean).
/// </summary>
public static class SpectralDescriptors
{
    /// <summary>Centroid <c>Σ_k f_k·S[k] / Σ_k S[k]</c> (Hz); 0 when Σ S = 0 (librosa.feature.spectral_centroid).</summary>
    public static float Centroid(ReadOnlySpan<float> mag, ReadOnlySpan<float> freqs)
    {
        double s = 0, fs = 0;
        for (int k = 0; k < mag.Length; k++) { s += mag[k]; fs += (double)freqs[k] * mag[k]; }
        return s > 0 ? (float)(fs / s) : 0f;
    }

    /// <summary>Bandwidth <c>(Σ_k (S[k]/Σ S)·|f_k − centroid|^p)^{1/p}</c> (Hz), p = 2 by default (librosa.feature.spectral_bandwidth).</summary>
    public static float Bandwidth(ReadOnlySpan<float> mag, ReadOnlySpan<float> freqs, float centroid, double p = 2)
    {
        double s = 0;
        for (int k = 0; k < mag.Length; k++) s += mag[k];
        if (s <= 0) return 0f;
        double acc = 0;
        for (int k = 0; k < mag.Length; k++) acc += mag[k] / s * Math.Pow(Math.Abs(freqs[k] - centroid), p);
        return (float)Math.Pow(acc, 1 / p);
    }

    /// <summary>Roll-off: the lowest <c>f_k</c> whose cumulative sum <c>Σ_{j≤k} S[j]</c> reaches <c>rollPercent·Σ S</c> (librosa.feature.spectral_rolloff, default 0.85); 0 for a silent frame.</summary>
    public static float Rolloff(ReadOnlySpan<float> mag, ReadOnlySpan<float> freqs, double rollPercent = 0.85)
    {
        double total = 0;
        for (int k = 0; k < mag.Length; k++) total += mag[k];
        double thr = rollPercent * total, cum = 0;
        for (int k = 0; k < mag.Length; k++)
        {
            cum += mag[k];
            if (cum >= thr) return freqs[k];
        }
        return freqs[^1];
    }

    /// <summary>
    /// Flatness (Wiener entropy) <c>exp(mean_k ln P[k]) / mean_k P[k]</c> with <c>P = max(amin, S^power)</c>, power 2,
    /// amin 1e-10 (librosa.feature.spectral_flatness); in (0, 1], 1 for white spectra.
    /// </summary>
    public static float Flatness(ReadOnlySpan<float> mag, double amin = 1e-10, double power = 2)
    {
        if (mag.Length == 0) return 0f;
        double logSum = 0, sum = 0;
        for (int k = 0; k < mag.Length; k++)
        {
            double v = Math.Max(amin, Math.Pow(mag[k], power));
            logSum += Math.Log(v); sum += v;
        }
        return (float)(Math.Exp(logSum / mag.Length) / (sum / mag.Length));
    }

    /// <summary>Spectral flux <c>sqrt(Σ_k max(0, S_t[k] − S_{t−1}[k])²)</c>: the L2 norm of the half-wave-rectified magnitude increase.</summary>
    public static float Flux(ReadOnlySpan<float> mag, ReadOnlySpan<float> previous)
    {
        double acc = 0;
        for (int k = 0; k < mag.Length; k++) { double d = mag[k] - previous[k]; if (d > 0) acc += d * d; }
        return (float)Math.Sqrt(acc);
    }

    /// <summary>Bin centre frequencies <c>f_k = k·sr/n_fft</c>, k = 0..n_fft/2.</summary>
    public static float[] BinFrequencies(int nFft, int sampleRate)
    {
        var f = new float[nFft / 2 + 1];
        for (int k = 0; k < f.Length; k++) f[k] = (float)((double)k * sampleRate / nFft);
        return f;
    }

    /// <summary>
    /// [frames × 5]: spectral_centroid_hz, spectral_bandwidth_hz, spectral_rolloff_hz, spectral_flatness, spectral_flux
    /// from a magnitude STFT with <paramref name="options"/> (its Power is forced to 1). Flux of frame 0 is 0.
    /// </summary>
    public static FeatureMatrix Compute(ReadOnlySpan<float> signal, SpectrogramOptions? options = null, double rollPercent = 0.85)
    {
        var o = (options ?? new SpectrogramOptions()) with { Power = 1.0 };
        var v = new OptionsValidator(nameof(SpectralDescriptors));
        v.Check(rollPercent > 0 && rollPercent < 1, $"rollPercent = {rollPercent.ToString(CultureInfo.InvariantCulture)} must be in (0, 1)");
        v.ThrowFeatureIfAny();
        var s = new Spectrogram(o).Compute(signal);
        var f = BinFrequencies(o.NFft, o.SampleRate);
        var data = new float[s.Rows * 5];
        for (int i = 0; i < s.Rows; i++)
        {
            var m = s.Row(i);
            float c = Centroid(m, f);
            data[i * 5] = c;
            data[i * 5 + 1] = Bandwidth(m, f, c);
            data[i * 5 + 2] = Rolloff(m, f, rollPercent);
            data[i * 5 + 3] = Flatness(m);
            data[i * 5 + 4] = i == 0 ? 0f : Flux(m, s.Row(i - 1));
        }
        return new FeatureMatrix(data, s.Rows, 5, ["spectral_centroid_hz", "spectral_bandwidth_hz", "spectral_rolloff_hz", "spectral_flatness", "spectral_flux"], s.FrameTimes, o);
    }
}

/// <summary>Options of <see cref="Chroma"/> (librosa.feature.chroma_stft / librosa.filters.chroma).</summary>
public sealed record ChromaOptions
{
    public SpectrogramOptions Stft { get; init; } = new();
    public int NChroma { get; init; } = 12;
    /// <summary>Tuning deviation from A440 in fractions of a chroma bin.</summary>
    public double Tuning { get; init; }
    /// <summary>Centre octave of the Gaussian octave weighting (librosa ctroct).</summary>
    public double CenterOctave { get; init; } = 5.0;
    /// <summary>Width (octaves) of the Gaussian octave weighting; null = flat (librosa octwidth).</summary>
    public double? OctaveWidth { get; init; } = 2.0;
    /// <summary>Start at C (true) rather than A.</summary>
    public bool BaseC { get; init; } = true;

    public void Validate()
    {
        var v = Stft.AddProblems(new OptionsValidator(nameof(ChromaOptions)));
        v.InRange(nameof(NChroma), NChroma, 1, 1200);
        v.Check(Math.Abs(Tuning) <= 0.5, $"Tuning = {Tuning.ToString(CultureInfo.InvariantCulture)} must be in [-0.5, 0.5]");
        if (OctaveWidth is double w) v.Positive(nameof(OctaveWidth), w);
        v.ThrowFeatureIfAny();
    }
}

/// <summary>
/// Chromagram as librosa.feature.chroma_stft: the power spectrogram (<see cref="ChromaOptions.Stft"/>, power 2) times the
/// librosa chroma filterbank — each FFT bin k ≥ 1 at <c>c_k = NChroma·log2(f_k/(A440/16))</c> (A440 = 440·2^{tuning/NChroma})
/// spreads to chroma q with <c>exp(−½(2·D/w_k)²)</c>, D the circular distance, w_k the bin width in chroma units (≥ 1),
/// columns L2-normalised, then weighted by a Gaussian in octaves around <c>CenterOctave</c>; rolled to start at C —
/// and each frame scaled to a maximum of 1 (librosa norm=∞; silent frames stay 0). Output [frames × NChroma].
/// </summary>
public sealed class Chroma
{
    public ChromaOptions Options { get; }
    private readonly float[] _fb; // [NChroma × bins]
    private readonly Spectrogram _stft;

    public Chroma(ChromaOptions? options = null)
    {
        Options = options ?? new ChromaOptions();
        Options.Validate();
        _stft = new Spectrogram(Options.Stft with { Power = 2.0 });
        _fb = Filterbank(Options);
    }

    /// <summary>The chroma filterbank [NChroma × (n_fft/2+1)], row-major (librosa.filters.chroma).</summary>
    public static float[] Filterbank(ChromaOptions o)
    {
        int nFft = o.Stft.NFft, sr = o.Stft.SampleRate, nc = o.NChroma, bins = nFft / 2 + 1;
        double a440 = 440.0 * Math.Pow(2.0, o.Tuning / nc);
        var frq = new double[nFft];
        for (int k = 1; k < nFft; k++) frq[k] = nc * Math.Log2((double)k * sr / nFft / (a440 / 16));
        frq[0] = frq[1] - 1.5 * nc;
        var width = new double[nFft];
        for (int k = 0; k < nFft - 1; k++) width[k] = Math.Max(frq[k + 1] - frq[k], 1.0);
        width[nFft - 1] = 1;
        var w = new double[nc, nFft];
        double half = Math.Round(nc / 2.0);
        for (int k = 0; k < nFft; k++)
        {
            double norm = 0;
            for (int q = 0; q < nc; q++)
            {
                double d = frq[k] - q;
                d = ((d + half + 10 * nc) % nc + nc) % nc - half;
                double v = Math.Exp(-0.5 * Math.Pow(2 * d / width[k], 2));
                w[q, k] = v; norm += v * v;
            }
            norm = Math.Sqrt(norm);
            for (int q = 0; q < nc; q++)
            {
                w[q, k] = norm > 0 ? w[q, k] / norm : 0;
                if (o.OctaveWidth is double ow) w[q, k] *= Math.Exp(-0.5 * Math.Pow((frq[k] / nc - o.CenterOctave) / ow, 2));
            }
        }
        int roll = o.BaseC ? 3 * (nc / 12) : 0;
        var fb = new float[nc * bins];
        for (int q = 0; q < nc; q++)
            for (int k = 0; k < bins; k++)
                fb[q * bins + k] = (float)w[(q + roll) % nc, k];
        return fb;
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        var s = _stft.Compute(signal);
        int nc = Options.NChroma, bins = _stft.Bins;
        var data = new float[s.Rows * nc];
        for (int i = 0; i < s.Rows; i++)
        {
            var row = data.AsSpan(i * nc, nc);
            for (int q = 0; q < nc; q++) row[q] = System.Numerics.Tensors.TensorPrimitives.Dot(_fb.AsSpan(q * bins, bins), s.Row(i));
            float mx = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row);
            if (mx > float.Epsilon) System.Numerics.Tensors.TensorPrimitives.Divide(row, mx, row);
        }
        string[] names = nc == 12 ? ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"] : SignalGuard.Names("chroma_", nc);
        if (!Options.BaseC && nc == 12) names = ["A", "A#", "B", "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#"];
        return new FeatureMatrix(data, s.Rows, nc, names, s.FrameTimes, Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.Stft.SampleRate, nameof(Chroma)));
}

/// <summary>
/// Onset strength as librosa.onset.onset_strength: on the dB log-mel D (clip-level top_db; see
/// <see cref="LogMelSpectrogram"/>), <c>o[t] = mean_b max(0, D[t,b] − D[t−lag,b])</c>, shifted right by
/// <c>lag + n_fft/(2·hop)</c> frames (integer division) when frames are centred, zero-filled at the start and trimmed
/// to the frame count. Use <see cref="MelSpectrogramOptions.Librosa"/> in the options for librosa's own mel settings.
/// Output [frames × 1].
/// </summary>
public static class OnsetStrength
{
    public static FeatureMatrix Compute(ReadOnlySpan<float> signal, LogMelOptions? options = null, int lag = 1)
    {
        var o = options ?? new LogMelOptions();
        var v = new OptionsValidator(nameof(OnsetStrength));
        v.InRange(nameof(lag), lag, 1, 1000);
        v.ThrowFeatureIfAny();
        var d = new LogMelSpectrogram(o).Compute(signal);
        int f = d.Rows, nb = d.Columns;
        int pad = lag + (o.Mel.Center ? o.Mel.NFft / (2 * o.Mel.HopLength) : 0);
        var env = new float[f];
        for (int t = lag; t < f; t++)
        {
            double acc = 0;
            for (int b = 0; b < nb; b++) { double x = d[t, b] - d[t - lag, b]; if (x > 0) acc += x; }
            int dst = t - lag + pad;
            if (dst < f) env[dst] = (float)(acc / nb);
        }
        return new FeatureMatrix(env, f, 1, ["onset_strength"], d.FrameTimes, o);
    }
}
