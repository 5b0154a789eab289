namespace HarmoniousFeedback.Tests.Models.Classical;

/// <summary>
/// The deterministic generator of bench/baselines/make_data.py, ported line by line (SplitMix64, Box–Muller cosine
/// branch, the radial/sine labelling rule) so tests can regenerate the parity sets without the CSV files.
/// </summary>
internal static class SyntheticData
{
    internal sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong NextU64()
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double Uniform() => (NextU64() >> 11) * (1.0 / 9007199254740992.0);

        public double Normal()
        {
            double u1 = 1.0 - Uniform();
            double u2 = Uniform();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }

    /// <summary>make_data.py's radial_sine(seed, n, d, label_noise).</summary>
    public static (double[][] X, int[] Y) RadialSine(ulong seed, int n, int d, double labelNoise)
    {
        var g = new SplitMix64(seed);
        var xs = new double[n][];
        var ys = new int[n];
        for (int i = 0; i < n; i++)
        {
            var x = new double[d];
            for (int j = 0; j < d; j++) x[j] = g.Normal();
            double r = Math.Sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
            int c = r < 1.4 ? 0 : Math.Sin(2.0 * x[3]) > 0 ? 1 : 2;
            if (g.Uniform() < labelNoise) c = (int)(g.Uniform() * 3) % 3;
            xs[i] = x;
            ys[i] = c;
        }
        return (xs, ys);
    }

    /// <summary>make_data.py's blobs(seed, n, d, k, spread, noise).</summary>
    public static (double[][] X, int[] Y) Blobs(ulong seed, int n, int d, int k, double spread, double noise)
    {
        var g = new SplitMix64(seed);
        var centres = new double[k][];
        for (int c = 0; c < k; c++)
        {
            centres[c] = new double[d];
            for (int j = 0; j < d; j++) centres[c][j] = spread * g.Normal();
        }
        var xs = new double[n][];
        var ys = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % k;
            var x = new double[d];
            for (int j = 0; j < d; j++) x[j] = centres[c][j] + noise * g.Normal();
            xs[i] = x;
            ys[i] = c;
        }
        return (xs, ys);
    }

    /// <summary>The "parity3" set: radial_sine(seed 42, 1000 × 8, 5 % label noise), rows 0–599 train, 600–999 test, standardised on train.</summary>
    public static (double[][] Train, int[] YTrain, double[][] Test, int[] YTest) Parity3()
    {
        var (x, y) = RadialSine(42, 1000, 8, 0.05);
        var scaler = HarmoniousFeedback.Models.Classical.StandardScaler.Fit(x[..600]);
        return (scaler.Transform(x[..600]), y[..600], scaler.Transform(x[600..]), y[600..]);
    }
}
