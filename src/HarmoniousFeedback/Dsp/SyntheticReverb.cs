namespace HarmoniousFeedback.Dsp;

/// <summary>
/// A room as an exponentially decaying noise impulse response (the statistical model of late reverberation: Schroeder
/// 1962; Polack 1988), for augmentation — recordings made in rooms rather than dry synthesizer output.
/// <code>
///   h[n] = 0                                                   n &lt; d            (pre-delay d = round(PreDelay·sr))
///   h[n] = ε[n] · 10^(−3·(n − d)/(RT60·sr))                    d ≤ n &lt; d + RT60·sr   (−60 dB at RT60)
///   ε ~ N(0, 1) (seeded), one-pole low-pass y[n] = (1 − a)·ε[n] + a·y[n−1], a = exp(−2π·f_c/sr) (air and walls damp highs)
///   h := h / ‖h‖₂                                              (unit energy: the reverberant part keeps the dry level)
///   y = (1 − wet)·x + wet·(x ∗ h)                              length |x| + |h| − 1 (the room's tail is kept)
/// </code>
/// The convolution is one real FFT of the next power of two ≥ |x| + |h| − 1 (<see cref="RealFft"/>), so a 10 s clip with a
/// 2 s room costs two forward and one inverse transform of 2¹⁸ points.
/// </summary>
public static class SyntheticReverb
{
    /// <summary>The impulse response h (unit energy) of a room with reverberation time <paramref name="rt60Seconds"/>.</summary>
    /// <param name="rt60Seconds">Time for the response to decay by 60 dB (0.05 – 10 s).</param>
    /// <param name="sampleRate">Samples per second (≥ 1000).</param>
    /// <param name="preDelaySeconds">Silence before the response starts (0 – 0.2 s).</param>
    /// <param name="cutoffHz">Cut-off of the one-pole low-pass on the noise (100 Hz – sr/2).</param>
    /// <param name="random">The noise's source (seeded by the caller).</param>
    /// <exception cref="FeatureParameterException">A parameter outside its range (every problem listed).</exception>
    public static float[] ImpulseResponse(double rt60Seconds, int sampleRate, double preDelaySeconds, double cutoffHz, SplitMix64 random)
    {
        var problems = new List<string>();
        if (!(rt60Seconds is >= 0.05 and <= 10)) problems.Add($"rt60Seconds = {rt60Seconds} must be in [0.05, 10]");
        if (sampleRate < 1000) problems.Add($"sampleRate = {sampleRate} must be >= 1000");
        if (!(preDelaySeconds is >= 0 and <= 0.2)) problems.Add($"preDelaySeconds = {preDelaySeconds} must be in [0, 0.2]");
        if (!(cutoffHz >= 100 && cutoffHz <= sampleRate / 2.0)) problems.Add($"cutoffHz = {cutoffHz} must be in [100, sampleRate/2 = {sampleRate / 2.0}]");
        if (problems.Count > 0) throw new FeatureParameterException(nameof(SyntheticReverb), problems);
        ArgumentNullException.ThrowIfNull(random);
        int d = (int)Math.Round(preDelaySeconds * sampleRate), tail = Math.Max(1, (int)Math.Round(rt60Seconds * sampleRate));
        var h = new float[d + tail];
        double a = Math.Exp(-2 * Math.PI * cutoffHz / sampleRate), y = 0, decay = Math.Pow(10, -3.0 / (rt60Seconds * sampleRate)), env = 1, energy = 0;
        for (int n = 0; n < tail; n++)
        {
            y = (1 - a) * random.NextGaussian() + a * y;
            double v = y * env;
            h[d + n] = (float)v;
            energy += v * v;
            env *= decay;
        }
        float scale = energy > 0 ? (float)(1 / Math.Sqrt(energy)) : 0;
        for (int n = d; n < h.Length; n++) h[n] *= scale;
        return h;
    }

    /// <summary>y = (1 − wet)·x + wet·(x ∗ h), of length |x| + |h| − 1 (the dry signal zero-padded to it).</summary>
    /// <exception cref="FeatureParameterException">wet outside [0, 1] or an empty impulse response.</exception>
    public static float[] Apply(ReadOnlySpan<float> dry, ReadOnlySpan<float> impulseResponse, double wet)
    {
        var problems = new List<string>();
        if (!(wet is >= 0 and <= 1)) problems.Add($"wet = {wet} must be in [0, 1]");
        if (impulseResponse.Length == 0) problems.Add("the impulse response is empty");
        if (problems.Count > 0) throw new FeatureParameterException(nameof(SyntheticReverb), problems);
        if (dry.Length == 0) return [];
        int length = dry.Length + impulseResponse.Length - 1;
        int n = 2;
        while (n < length) n <<= 1;
        var fft = new RealFft(n);
        int bins = n / 2 + 1;
        var buffer = new float[n];
        var xr = new float[bins]; var xi = new float[bins]; var hr = new float[bins]; var hi = new float[bins];
        dry.CopyTo(buffer);
        fft.Forward(buffer, xr, xi);
        Array.Clear(buffer);
        impulseResponse.CopyTo(buffer);
        fft.Forward(buffer, hr, hi);
        for (int k = 0; k < bins; k++)
        {
            float r = xr[k] * hr[k] - xi[k] * hi[k], i = xr[k] * hi[k] + xi[k] * hr[k];
            xr[k] = r; xi[k] = i;
        }
        fft.Inverse(xr, xi, buffer);
        var y = new float[length];
        float w = (float)wet, dw = (float)(1 - wet);
        for (int t = 0; t < length; t++) y[t] = w * buffer[t] + (t < dry.Length ? dw * dry[t] : 0);
        return y;
    }
}
