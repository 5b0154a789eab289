namespace HarmoniousFeedback.Features;

/// <summary>
/// Contiguous float32 features, row-major <c>[frames × features]</c> (<c>Data[i * Columns + j]</c>), with the name
/// of every column, the time (s) of every row (frame centre, or segment start for segment-level features), and
/// a description of the options that produced it (so a cache key or a report can say exactly how).
/// </summary>
public sealed class FeatureMatrix
{
    public float[] Data { get; }
    public int Rows { get; }
    public int Columns { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public double[] FrameTimes { get; }

    /// <summary>The options record (or other description) that produced the matrix; its ToString is stable.</summary>
    public object? Options { get; }

    public FeatureMatrix(float[] data, int rows, int columns, IReadOnlyList<string> featureNames, double[] frameTimes, object? options = null)
    {
        if (rows < 0 || columns < 0) throw new ShapeMismatchException($"feature matrix shape [{rows} × {columns}] must be non-negative");
        if (data.Length != (long)rows * columns) throw new ShapeMismatchException($"feature data has {data.Length} values but the shape [{rows} × {columns}] needs {(long)rows * columns}");
        if (featureNames.Count != columns) throw new ShapeMismatchException($"{featureNames.Count} feature names for {columns} columns");
        if (frameTimes.Length != rows) throw new ShapeMismatchException($"{frameTimes.Length} frame times for {rows} rows");
        Data = data; Rows = rows; Columns = columns; FeatureNames = featureNames; FrameTimes = frameTimes; Options = options;
    }

    public float this[int row, int column] => Data[row * Columns + column];

    /// <summary>Row <paramref name="row"/> as a span over the underlying data (no copy).</summary>
    public Span<float> Row(int row) => Data.AsSpan(row * Columns, Columns);

    /// <summary>A copy of column <paramref name="column"/>.</summary>
    public float[] Column(int column)
    {
        var c = new float[Rows];
        for (int i = 0; i < Rows; i++) c[i] = Data[i * Columns + column];
        return c;
    }
}
