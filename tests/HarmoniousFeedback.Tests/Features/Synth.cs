namespace HarmoniousFeedback.Tests.Features;

internal static class Synth
{
    /// <summary>Σ_{h∈harmonics} a_h·sin(2π h φ(t)) with instantaneous F0 f0(t).</summary>
    public static float[] Harmonic(Func<double, double> f0, double seconds, int[] harmonics, int sr = 16000, double amp = 0.3, Func<int, double>? weight = null)
    {
        int n = (int)(seconds * sr);
        var x = new float[n];
        double phase = 0;
        for (int t = 0; t < n; t++)
        {
            double s = 0;
            foreach (var h in harmonics) s += (weight?.Invoke(h) ?? 1.0 / h) * Math.Sin(2 * Math.PI * h * phase);
            x[t] = (float)(amp * s);
            phase += f0(t / (double)sr) / sr;
        }
        return x;
    }

    /// <summary>Source–filter vowel: 1/k harmonic source through a cascade of 2nd-order resonators (F_i, B_i).</summary>
    public static float[] Vowel(double f0, double[] formants, double[] bandwidths, double seconds, int sr = 16000)
    {
        int maxH = (int)(sr / 2 / f0) - 1;
        var x = Harmonic(_ => f0, seconds, Enumerable.Range(1, maxH).ToArray(), sr, 0.05).Select(v => (double)v).ToArray();
        for (int i = 0; i < formants.Length; i++)
        {
            double r = Math.Exp(-Math.PI * bandwidths[i] / sr), th = 2 * Math.PI * formants[i] / sr;
            double a1 = 2 * r * Math.Cos(th), a2 = -r * r, g = 1 - a1 - a2;
            double y1 = 0, y2 = 0;
            for (int n = 0; n < x.Length; n++) { double y = g * x[n] + a1 * y1 + a2 * y2; y2 = y1; y1 = y; x[n] = y; }
        }
        double mx = x.Max(Math.Abs);
        return x.Select(v => (float)(0.5 * v / mx)).ToArray();
    }
}
