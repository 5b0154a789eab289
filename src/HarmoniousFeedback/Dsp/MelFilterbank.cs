namespace HarmoniousFeedback.Dsp;

/// <summary>
/// Triangular mel filterbank on a one-sided spectrum of an <c>n_fft</c>-point FFT, exactly as
/// <c>torchaudio.functional.melscale_fbanks</c> / <c>librosa.filters.mel(htk=…, norm=…)</c>:
/// <c>n_mels + 2</c> points equally spaced in mel from <c>mel(f_min)</c> to <c>mel(f_max)</c>, converted to Hz
/// (<c>p_0..p_{n_mels+1}</c>); bin frequencies <c>f_k = k·sr/n_fft</c>;
/// <c>H[k,b] = max(0, min((f_k − p_b)/(p_{b+1} − p_b), (p_{b+2} − f_k)/(p_{b+2} − p_{b+1})))</c>, times
/// <c>2/(p_{b+2} − p_b)</c> for <see cref="MelNorm.Slaney"/>. Weights are computed in double and stored sparsely
/// (each filter's non-zero bin range) as float. Immutable and thread-safe.
/// </summary>
public sealed class MelFilterbank
{
    public int NFft { get; }
    public int SampleRate { get; }
    public int NMels { get; }
    public double FMin { get; }
    public double FMax { get; }
    public MelScale Scale { get; }
    public MelNorm Norm { get; }
    /// <summary>Spectrum bins expected by <see cref="Apply"/>: n_fft/2 + 1.</summary>
    public int Bins => NFft / 2 + 1;
    /// <summary>Filters with no non-zero weight (n_mels too large for the frequency resolution; torchaudio warns about them). Their output is 0.</summary>
    public int EmptyFilterCount { get; }

    private readonly int[] _start;
    private readonly float[][] _weights;

    public MelFilterbank(int nFft, int sampleRate, int nMels, double fMin, double fMax, MelScale scale = MelScale.Htk, MelNorm norm = MelNorm.None)
    {
        var v = new OptionsValidator(nameof(MelFilterbank));
        v.Check(nFft >= 2 && nFft % 2 == 0, $"NFft = {nFft} must be an even number >= 2");
        v.Positive(nameof(sampleRate), sampleRate);
        v.InRange("NMels", nMels, 1, 10_000);
        v.Check(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2.0,
            $"FMin = {fMin}, FMax = {fMax} must satisfy 0 <= FMin < FMax <= sample_rate/2 = {sampleRate / 2.0}");
        v.ThrowFeatureIfAny();
        NFft = nFft; SampleRate = sampleRate; NMels = nMels; FMin = fMin; FMax = fMax; Scale = scale; Norm = norm;
        var dense = DenseWeights(nFft, sampleRate, nMels, fMin, fMax, scale, norm);
        int bins = nFft / 2 + 1;
        _start = new int[nMels];
        _weights = new float[nMels][];
        int empty = 0;
        for (int b = 0; b < nMels; b++)
        {
            int lo = 0, hi = -1;
            for (int k = 0; k < bins; k++) if (dense[k, b] > 0) { lo = k; break; }
            for (int k = bins - 1; k >= 0; k--) if (dense[k, b] > 0) { hi = k; break; }
            if (hi < lo) { empty++; _start[b] = 0; _weights[b] = []; continue; }
            _start[b] = lo;
            _weights[b] = new float[hi - lo + 1];
            for (int k = lo; k <= hi; k++) _weights[b][k - lo] = (float)dense[k, b];
        }
        EmptyFilterCount = empty;
    }

    /// <summary>Hz → mel on the given scale.</summary>
    public static double HzToMel(double f, MelScale scale)
    {
        if (scale == MelScale.Htk) return 2595.0 * Math.Log10(1.0 + f / 700.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logstep = Math.Log(6.4) / 27.0;
        return f >= minLogHz ? minLogMel + Math.Log(f / minLogHz) / logstep : f / fSp;
    }

    /// <summary>mel → Hz, the inverse of <see cref="HzToMel"/>.</summary>
    public static double MelToHz(double m, MelScale scale)
    {
        if (scale == MelScale.Htk) return 700.0 * (Math.Pow(10.0, m / 2595.0) - 1.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logstep = Math.Log(6.4) / 27.0;
        return m >= minLogMel ? minLogHz * Math.Exp(logstep * (m - minLogMel)) : fSp * m;
    }

    /// <summary>The dense filterbank <c>H[k, b]</c>, shape [n_fft/2+1, n_mels], in double (the reference the sparse form is built from).</summary>
    public static double[,] DenseWeights(int nFft, int sampleRate, int nMels, double fMin, double fMax, MelScale scale, MelNorm norm)
    {
        int bins = nFft / 2 + 1;
        double mMin = HzToMel(fMin, scale), mMax = HzToMel(fMax, scale);
        var p = new double[nMels + 2];
        for (int i = 0; i < p.Length; i++) p[i] = MelToHz(mMin + (mMax - mMin) * i / (nMels + 1), scale);
        var h = new double[bins, nMels];
        for (int k = 0; k < bins; k++)
        {
            double f = (double)k * sampleRate / nFft;
            for (int b = 0; b < nMels; b++)
            {
                double down = (f - p[b]) / (p[b + 1] - p[b]);
                double up = (p[b + 2] - f) / (p[b + 2] - p[b + 1]);
                double w = Math.Max(0.0, Math.Min(down, up));
                if (norm == MelNorm.Slaney) w *= 2.0 / (p[b + 2] - p[b]);
                h[k, b] = w;
            }
        }
        return h;
    }

    /// <summary>
    /// <c>mel[b] = Σ_k spectrum[k]·H[k,b]</c>. <paramref name="spectrum"/> must have exactly n_fft/2+1 bins
    /// (a spectrum from another n_fft — e.g. one computed for another sample rate or FFT size — is rejected).
    /// </summary>
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> mel)
    {
        if (spectrum.Length != Bins)
            throw new ShapeMismatchException($"spectrum has {spectrum.Length} bins but the mel filterbank expects {Bins} (NFft={NFft}, SampleRate={SampleRate})");
        if (mel.Length < NMels) throw new ShapeMismatchException($"mel output has {mel.Length} values, needs {NMels}");
        for (int b = 0; b < NMels; b++)
        {
            var w = _weights[b];
            mel[b] = w.Length == 0 ? 0f : System.Numerics.Tensors.TensorPrimitives.Dot(spectrum.Slice(_start[b], w.Length), w);
        }
    }

    /// <summary>Scalar reference of <see cref="Apply"/> (sequential float sums).</summary>
    public void ApplyScalar(ReadOnlySpan<float> spectrum, Span<float> mel)
    {
        if (spectrum.Length != Bins) throw new ShapeMismatchException($"spectrum has {spectrum.Length} bins but the mel filterbank expects {Bins}");
        for (int b = 0; b < NMels; b++)
        {
            float s = 0; var w = _weights[b];
            for (int j = 0; j < w.Length; j++) s += spectrum[_start[b] + j] * w[j];
            mel[b] = s;
        }
    }
}
