using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Column-wise min–max scaling to [0, 1], fitted on training data only and applied unchanged to test data:
/// <c>y = (x − min_j)/(max_j − min_j)</c>. A constant column (max = min) maps to 0. Values outside the fitted range
/// (test data) are clipped to [0, 1] when <see cref="ClipToUnitRange"/> is true (default), else left as is
/// (possibly &lt; 0 or &gt; 1). Non-finite inputs are rejected. Immutable after <see cref="Fit"/>.
/// </summary>
public sealed class MinMaxNormalizer
{
    public float[] Min { get; }
    public float[] Max { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public bool ClipToUnitRange { get; }

    public MinMaxNormalizer(float[] min, float[] max, IReadOnlyList<string> names, bool clipToUnitRange = true)
    {
        if (min.Length != max.Length || min.Length != names.Count)
            throw new ShapeMismatchException($"normalizer has {min.Length} minima, {max.Length} maxima and {names.Count} names");
        Min = min; Max = max; FeatureNames = names; ClipToUnitRange = clipToUnitRange;
    }

    /// <summary>Fits per-column minima and maxima over every row of every training matrix (all must have the same columns).</summary>
    public static MinMaxNormalizer Fit(IEnumerable<FeatureMatrix> training, bool clipToUnitRange = true)
    {
        float[]? mn = null, mx = null;
        IReadOnlyList<string>? names = null;
        long rows = 0;
        foreach (var m in training)
        {
            if (names is null) { names = m.FeatureNames; mn = Enumerable.Repeat(float.PositiveInfinity, m.Columns).ToArray(); mx = Enumerable.Repeat(float.NegativeInfinity, m.Columns).ToArray(); }
            else if (m.Columns != names.Count || !m.FeatureNames.SequenceEqual(names))
                throw new SchemaMismatchException($"MinMaxNormalizer.Fit: a training matrix has {m.Columns} columns [{string.Join(",", m.FeatureNames.Take(3))}…] but the first had {names.Count} [{string.Join(",", names.Take(3))}…]");
            for (int i = 0; i < m.Rows; i++)
                for (int j = 0; j < m.Columns; j++)
                {
                    float v = m[i, j];
                    if (!float.IsFinite(v)) throw new InvalidSignalException($"MinMaxNormalizer.Fit: training value at row {i}, column '{m.FeatureNames[j]}' is {v.ToString(CultureInfo.InvariantCulture)}");
                    if (v < mn![j]) mn[j] = v;
                    if (v > mx![j]) mx[j] = v;
                }
            rows += m.Rows;
        }
        if (names is null || rows == 0) throw new SchemaMismatchException("MinMaxNormalizer.Fit needs at least one training row");
        return new MinMaxNormalizer(mn!, mx!, names, clipToUnitRange);
    }

    /// <summary>Scales <paramref name="m"/> with the fitted ranges (a new matrix; same names, times and options).</summary>
    public FeatureMatrix Transform(FeatureMatrix m)
    {
        if (m.Columns != Min.Length)
            throw new SchemaMismatchException($"MinMaxNormalizer was fitted on {Min.Length} columns but got {m.Columns}");
        var d = new float[m.Data.Length];
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Columns; j++)
            {
                float v = m[i, j];
                if (!float.IsFinite(v)) throw new InvalidSignalException($"MinMaxNormalizer.Transform: value at row {i}, column '{m.FeatureNames[j]}' is {v.ToString(CultureInfo.InvariantCulture)}");
                float range = Max[j] - Min[j];
                float y = range > 0 ? (v - Min[j]) / range : 0f;
                if (ClipToUnitRange) y = Math.Clamp(y, 0f, 1f);
                d[i * m.Columns + j] = y;
            }
        return new FeatureMatrix(d, m.Rows, m.Columns, m.FeatureNames, m.FrameTimes, m.Options);
    }
}
