namespace HarmoniousFeedback.Tests.Data;

/// <summary>Crude audio statistics for the overlap sanity check (not a feature extractor of the toolkit).</summary>
internal static class CrudeStats
{
    public static double[] Compute(float[] x, int fs)
    {
        int frame = fs / 20, hop = frame / 2; // 50 ms frames, 25 ms hop
        var logRms = new List<double>();
        double zcrSum = 0;
        int frames = 0;
        for (int s = 0; s + frame <= x.Length; s += hop, frames++)
        {
            double e = 0;
            int z = 0;
            for (int i = s; i < s + frame; i++)
            {
                e += x[i] * x[i];
                if (i > s && (x[i] >= 0) != (x[i - 1] >= 0)) z++;
            }
            logRms.Add(10 * Math.Log10(e / frame + 1e-10));
            zcrSum += (double)z / frame;
        }
        double mean = logRms.Average();
        double std = Math.Sqrt(logRms.Average(v => (v - mean) * (v - mean)));
        int onsets = 0;
        for (int i = 1; i < logRms.Count; i++) if (logRms[i] - logRms[i - 1] > 1.5) onsets++;
        double silent = logRms.Count(v => v < mean - 20) / (double)logRms.Count;
        return [mean, std, zcrSum / frames, onsets / (x.Length / (double)fs), silent];
    }

    /// <summary>Predicted labels of <paramref name="test"/> by the nearest class centroid of z-scored features.</summary>
    public static string[] NearestCentroid(double[][] x, string[] y, int[] train, int[] test)
    {
        int d = x[0].Length;
        var mu = new double[d];
        var sd = new double[d];
        for (int j = 0; j < d; j++)
        {
            mu[j] = train.Average(i => x[i][j]);
            sd[j] = Math.Sqrt(train.Average(i => (x[i][j] - mu[j]) * (x[i][j] - mu[j]))) + 1e-12;
        }
        double[] Z(double[] v) => v.Select((t, j) => (t - mu[j]) / sd[j]).ToArray();
        var centroids = train.GroupBy(i => y[i]).ToDictionary(g => g.Key, g => Enumerable.Range(0, d).Select(j => g.Average(i => Z(x[i])[j])).ToArray());
        return test.Select(i =>
        {
            var z = Z(x[i]);
            return centroids.MinBy(c => c.Value.Select((m, j) => (m - z[j]) * (m - z[j])).Sum()).Key;
        }).ToArray();
    }
}
