namespace HarmoniousFeedback.Tests.Dsp;

/// <summary>Naive double-precision references the fast code is checked against.</summary>
internal static class DspReference
{
    /// <summary>O(N²) DFT in double: X[k] = Σ x[n]·e^{−2πikn/N}, angles reduced mod N for accuracy.</summary>
    public static (double[] Re, double[] Im) Dft(double[] re, double[] im)
    {
        int n = re.Length;
        var xr = new double[n]; var xi = new double[n];
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++)
            {
                double a = -2 * Math.PI * ((long)k * t % n) / n;
                double c = Math.Cos(a), s = Math.Sin(a);
                sr += re[t] * c - im[t] * s;
                si += re[t] * s + im[t] * c;
            }
            xr[k] = sr; xi[k] = si;
        }
        return (xr, xi);
    }

    public static float[] RandomSignal(int n, int seed, double scale = 1.0)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return x;
    }

    /// <summary>Relative L2 error ||a − b|| / ||b||.</summary>
    public static double RelL2(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < b.Length; i++) { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i]; }
        return Math.Sqrt(num / Math.Max(den, 1e-300));
    }

    /// <summary>
    /// The anchors' spectrogram definition computed straight from the README in double with a naive DFT:
    /// reflect padding n_fft/2, periodic Hann of W centred, power.
    /// </summary>
    public static double[][] PowerSpectrogram(float[] x, int nFft, int hop, int win)
    {
        int p = nFft / 2, n = x.Length;
        double X(int i) { int j = HarmoniousFeedback.Dsp.Framing.MapIndex(i, n, HarmoniousFeedback.Dsp.PadMode.Reflect); return x[j]; }
        int frames = 1 + n / hop, l = (nFft - win) / 2;
        var r = new double[frames][];
        for (int i = 0; i < frames; i++)
        {
            var re = new double[nFft]; var im = new double[nFft];
            for (int m = 0; m < win; m++)
                re[l + m] = (0.5 - 0.5 * Math.Cos(2 * Math.PI * m / win)) * X(i * hop + l + m - p);
            var (fr, fi) = Dft(re, im);
            r[i] = new double[nFft / 2 + 1];
            for (int k = 0; k <= nFft / 2; k++) r[i][k] = fr[k] * fr[k] + fi[k] * fi[k];
        }
        return r;
    }
}
