namespace HarmoniousFeedback.Features.Streaming;

/// <summary>
/// Clip-level mean and population standard deviation (ddof = 0) of every column, accumulated row by row so that a
/// streamed signal need not be kept: the counterpart of <see cref="FeatureStatistics.MeanStd"/> for
/// <see cref="StreamingFeatureExtractor"/>. Per column, in double: the sum <c>Σx</c> in row order (so the mean,
/// <c>Σx/T</c>, is bit-identical to MeanStd's) and Welford's update for the spread,
/// <c>δ = x − m_{t−1}; m_t = m_{t−1} + δ/t; M2_t = M2_{t−1} + δ·(x − m_t)</c>, <c>std = sqrt(M2_T/T)</c> (Welford 1962; Knuth,
/// TAOCP vol. 2, §4.2.2), which stays accurate over millions of frames where <c>Σx² − T·mean²</c> would cancel. MeanStd's
/// two-pass <c>Σ(x − mean)²</c> sums other roundings: the two stds agree to about 1e−12 relative in double, i.e. to within one
/// float32 unit in the last place after the final conversion (tested).
/// </summary>
public sealed class RunningMeanStd
{
    private readonly double[] _sum, _mean, _m2;
    private long _count;

    public RunningMeanStd(int columns)
    {
        if (columns < 0) throw new ShapeMismatchException($"columns = {columns} must be >= 0");
        _sum = new double[columns]; _mean = new double[columns]; _m2 = new double[columns];
    }

    public int Columns => _sum.Length;

    /// <summary>Rows seen.</summary>
    public long Count => _count;

    /// <summary>Adds every row of <paramref name="rows"/> (its column count must be <see cref="Columns"/>).</summary>
    public void Add(FeatureMatrix rows)
    {
        if (rows.Columns != Columns) throw new ShapeMismatchException($"rows have {rows.Columns} columns, the statistics {Columns}");
        for (int i = 0; i < rows.Rows; i++)
        {
            _count++;
            var r = rows.Row(i);
            for (int j = 0; j < r.Length; j++)
            {
                double x = r[j];
                _sum[j] += x;
                double d = x - _mean[j];
                _mean[j] += d / _count;
                _m2[j] += d * (x - _mean[j]);
            }
        }
    }

    /// <summary><c>[mean₀ … mean_{F−1}, std₀ … std_{F−1}]</c> as float32, the layout of <see cref="FeatureStatistics.MeanStd"/>; zeros before any row.</summary>
    public float[] MeanStd()
    {
        int n = Columns;
        var r = new float[2 * n];
        if (_count == 0) return r;
        for (int j = 0; j < n; j++)
        {
            r[j] = (float)(_sum[j] / _count);
            r[n + j] = (float)Math.Sqrt(_m2[j] / _count);
        }
        return r;
    }
}
