namespace HarmoniousFeedback.Dsp;

/// <summary>Analysis window shapes.</summary>
public enum WindowType
{
    /// <summary>Hann: <c>w[m] = 0.5 − 0.5·cos(2πm/D)</c>.</summary>
    Hann,
    /// <summary>Hamming: <c>w[m] = 0.54 − 0.46·cos(2πm/D)</c>.</summary>
    Hamming,
    /// <summary>All ones (no windowing).</summary>
    Rectangular,
}

/// <summary>Window functions, computed in double and returned as float.</summary>
public static class Windows
{
    /// <summary>
    /// A window of length <paramref name="length"/>. <paramref name="periodic"/> = true gives the DFT-even window used by
    /// torch.hann_window / scipy <c>sym=False</c> / librosa (divisor <c>D = W</c>); false gives the symmetric window
    /// (numpy.hanning, divisor <c>D = W − 1</c>). A length-1 window is <c>[1]</c>.
    /// </summary>
    public static float[] Create(WindowType type, int length, bool periodic = true)
    {
        if (length < 1) throw new FeatureParameterException("window", [$"length = {length} must be >= 1"]);
        var w = new float[length];
        if (length == 1) { w[0] = 1f; return w; }
        double d = periodic ? length : length - 1;
        for (int m = 0; m < length; m++)
        {
            double c = Math.Cos(2 * Math.PI * m / d);
            w[m] = type switch
            {
                WindowType.Hann => (float)(0.5 - 0.5 * c),
                WindowType.Hamming => (float)(0.54 - 0.46 * c),
                _ => 1f,
            };
        }
        return w;
    }

    /// <summary>
    /// Centres a window of length W in a frame of length <paramref name="frameLength"/> ≥ W, with
    /// <c>L = floor((frameLength − W)/2)</c> zeros before and the rest after (torch.stft / librosa <c>pad_center</c>).
    /// </summary>
    public static float[] PadCenter(float[] window, int frameLength)
    {
        if (window.Length > frameLength)
            throw new FeatureParameterException("window", [$"win_length = {window.Length} must be <= n_fft = {frameLength}"]);
        var r = new float[frameLength];
        window.CopyTo(r, (frameLength - window.Length) / 2);
        return r;
    }
}

/// <summary>How a signal is extended beyond its ends when frames are centred.</summary>
public enum PadMode
{
    /// <summary>numpy/torch <c>reflect</c>: mirror without repeating the edge sample, <c>x[−k] = x[k]</c>.</summary>
    Reflect,
    /// <summary>Zeros.</summary>
    Constant,
    /// <summary>Repeat the edge sample (numpy <c>edge</c>, torch <c>replicate</c>).</summary>
    Edge,
}

/// <summary>Framing conventions shared by every frame-based feature.</summary>
public static class Framing
{
    /// <summary>
    /// Number of frames. Centred: <c>1 + floor(N / hop)</c> (torch.stft with center=True). Not centred:
    /// <c>1 + floor((N − frameLength)/hop)</c> when N ≥ frameLength, else 0.
    /// </summary>
    public static int FrameCount(int signalLength, int frameLength, int hop, bool center)
    {
        if (center) return signalLength == 0 ? 0 : 1 + signalLength / hop;
        return signalLength < frameLength ? 0 : 1 + (signalLength - frameLength) / hop;
    }

    /// <summary>
    /// Maps index <paramref name="i"/> (may be negative or ≥ n) to a sample index under <paramref name="mode"/>; −1 means
    /// "zero" (constant mode). Reflect repeats the mirror as numpy does for pads longer than the signal
    /// (period 2(n−1)); a one-sample signal reflects to itself.
    /// </summary>
    public static int MapIndex(int i, int n, PadMode mode)
    {
        if ((uint)i < (uint)n) return i;
        switch (mode)
        {
            case PadMode.Constant: return -1;
            case PadMode.Edge: return i < 0 ? 0 : n - 1;
            default:
                if (n == 1) return 0;
                int period = 2 * (n - 1);
                int r = i % period; if (r < 0) r += period;
                return r < n ? r : period - r;
        }
    }

    /// <summary>
    /// Returns the signal padded with <paramref name="pad"/> samples on both sides (<c>xp[m] = x[m − pad]</c>).
    /// </summary>
    public static float[] Pad(ReadOnlySpan<float> x, int pad, PadMode mode)
    {
        int n = x.Length;
        var r = new float[n + 2 * pad];
        x.CopyTo(r.AsSpan(pad));
        if (n == 0) return r;
        for (int k = 1; k <= pad; k++)
        {
            int lo = MapIndex(-k, n, mode), hi = MapIndex(n - 1 + k, n, mode);
            r[pad - k] = lo < 0 ? 0f : x[lo];
            r[pad + n - 1 + k] = hi < 0 ? 0f : x[hi];
        }
        return r;
    }
}
