using System.Numerics.Tensors;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Tempo from an onset envelope, in the manner of <c>librosa.feature.tempo</c> (autocorrelation tempogram aggregated over a
/// window, weighted by a log-normal prior, arg-max):
/// <code>
///   y[n]  = x[n] − mean(x)                                     (mean removed, so a constant envelope has no tempo)
///   r[L]  = Σ_{n=0}^{N−1−L} y[n]·y[n+L]                         (autocorrelation, lag L frames)
///   ρ[L]  = max(r[L], 0) / r[0]                                 (normalised, in [0, 1])
///   bpm(L) = 60·fps / L,   L ∈ [60·fps/MaxTempo, 60·fps/MinTempo]
///   prior(L) = exp(−½ · (log2(bpm(L)) − log2(StartBpm))² / StdBpm²)
///   L* = argmax ρ[L]·prior(L),  refined by a parabola through the three scores around L*,   period = L*/fps
///   pulse clarity = max_L ρ[L]   (Lartillot et al. 2008, MIRtoolbox "pulse clarity", maximum-autocorrelation variant)
/// </code>
/// Differences from librosa: the autocorrelation is of the whole window at once (librosa averages per-frame tempograms of
/// 384-frame windows), the mean is removed, and the peak is interpolated (librosa returns the bin centre); the tempo range
/// is [<see cref="TempoOptions.MinTempo"/>, <see cref="TempoOptions.MaxTempo"/>]. Ties go to the shorter lag.
/// The autocorrelation is one SIMD dot product per lag (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>);
/// <see cref="AutocorrelateScalar"/> is the scalar reference.
/// </summary>
public static class TempoEstimator
{
    /// <summary><c>r[L] = Σ_n x[n]·x[n+L]</c> for L = 0 … r.Length−1 (lags beyond the signal are 0). SIMD per lag.</summary>
    public static void Autocorrelate(ReadOnlySpan<float> x, Span<float> r)
    {
        for (int lag = 0; lag < r.Length; lag++)
            r[lag] = lag >= x.Length ? 0f : TensorPrimitives.Dot(x[..(x.Length - lag)], x[lag..]);
    }

    /// <summary>Scalar (double-accumulating) reference of <see cref="Autocorrelate"/>.</summary>
    public static void AutocorrelateScalar(ReadOnlySpan<float> x, Span<float> r)
    {
        for (int lag = 0; lag < r.Length; lag++)
        {
            double s = 0;
            for (int n = 0; n + lag < x.Length; n++) s += (double)x[n] * x[n + lag];
            r[lag] = (float)s;
        }
    }

    /// <summary>
    /// Estimates the tempo of <paramref name="envelope"/> sampled at <paramref name="frameRate"/> frames/s (see the type's
    /// formula). <paramref name="priorBpm"/>/<paramref name="priorStdOctaves"/> override the options' prior (local estimates
    /// centre it on the clip's tempo).
    /// </summary>
    public static TempoEstimate Estimate(ReadOnlySpan<float> envelope, double frameRate, TempoOptions? options = null,
                                         double? priorBpm = null, double? priorStdOctaves = null)
    {
        var o = options ?? new TempoOptions();
        if (!(frameRate > 0) || !double.IsFinite(frameRate))
            throw new FeatureParameterException(nameof(TempoEstimator), [$"frameRate = {frameRate} must be a finite number > 0"]);
        int minLag = Math.Max(1, (int)Math.Ceiling(60 * frameRate / o.MaxTempo));
        int maxLag = (int)Math.Floor(60 * frameRate / o.MinTempo);
        int n = envelope.Length;
        if (n <= minLag + 1) return TempoEstimate.None;
        maxLag = Math.Min(maxLag, n - 2);
        if (maxLag < minLag) return TempoEstimate.None;

        var y = new float[n];
        float mean = TensorPrimitives.Sum(envelope) / n;
        TensorPrimitives.Subtract(envelope, mean, y);
        var r = new float[maxLag + 2];
        Autocorrelate(y, r);
        if (!(r[0] > 1e-12f)) return TempoEstimate.None;

        double logStart = Math.Log2(priorBpm ?? o.StartBpm), std = priorStdOctaves ?? o.StdBpm;
        double Score(int lag)
        {
            double rho = Math.Max(0, r[lag]) / r[0];
            double z = (Math.Log2(60 * frameRate / lag) - logStart) / std;
            return rho * Math.Exp(-0.5 * z * z);
        }
        int best = -1; double bestScore = 0, clarity = 0;
        for (int lag = minLag; lag <= maxLag; lag++)
        {
            clarity = Math.Max(clarity, Math.Max(0, r[lag]) / r[0]);
            double s = Score(lag);
            if (s > bestScore) { bestScore = s; best = lag; }
        }
        if (best < 0) return TempoEstimate.None with { PulseClarity = 0 };
        double lagHat = best;
        if (best > minLag && best < maxLag)
        {
            double a = Score(best - 1), b = bestScore, c = Score(best + 1), den = a - 2 * b + c;
            if (den < 0) lagHat = best + Math.Clamp(0.5 * (a - c) / den, -0.5, 0.5);
        }
        double period = lagHat / frameRate;
        return new TempoEstimate(60 / period, period, Math.Min(1, clarity), true);
    }
}
