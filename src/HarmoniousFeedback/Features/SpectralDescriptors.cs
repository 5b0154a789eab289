using System.Globalization;

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
