namespace HarmoniousFeedback.Dsp;

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
