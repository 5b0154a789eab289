namespace HarmoniousFeedback.Features;

/// <summary>Clip-level statistics of frame- or segment-level features.</summary>
public static class FeatureStatistics
{
    /// <summary>
    /// Per-column mean and population standard deviation (numpy's default, ddof = 0) over the rows:
    /// <c>[mean₀ … mean_{F−1}, std₀ … std_{F−1}]</c>, <c>std_j = sqrt(Σᵢ (x_ij − mean_j)² / T)</c>, accumulated in double.
    /// Zeros for an empty matrix. Bit-identical to the pipeline's <c>PoolSequence</c> mean/std pooling.
    /// </summary>
    public static float[] MeanStd(FeatureMatrix frames)
    {
        int n = frames.Columns, t = frames.Rows;
        var r = new float[2 * n];
        if (t == 0) return r;
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int i = 0; i < t; i++) sum += frames[i, j];
            double mean = sum / t, ss = 0;
            for (int i = 0; i < t; i++) { double d = frames[i, j] - mean; ss += d * d; }
            r[j] = (float)mean;
            r[n + j] = (float)Math.Sqrt(ss / t);
        }
        return r;
    }
}
