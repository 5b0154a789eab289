namespace HarmoniousFeedback.Plotting;

/// <summary>
/// A colour-mapped matrix <c>Values[row, column]</c> (viridis, <see cref="Palette.Viridis"/>) with a colour bar. Two uses:
/// categorical (confusion matrix: <see cref="RowLabels"/>/<see cref="ColumnLabels"/>, optional per-cell
/// <see cref="Annotations"/>), and numeric (spectrogram: <see cref="Extent"/> in seconds × Hz, drawn as an embedded PNG).
/// </summary>
public sealed class HeatmapSeries : Series
{
    public double[,] Values { get; }
    public int Rows => Values.GetLength(0);
    public int Columns => Values.GetLength(1);

    /// <summary>Row category names (categorical mode); default "0", "1", ….</summary>
    public IReadOnlyList<string>? RowLabels { get; set; }

    /// <summary>Column category names (categorical mode).</summary>
    public IReadOnlyList<string>? ColumnLabels { get; set; }

    /// <summary>Text per cell (may contain '\n'), e.g. count and percentage; null = none.</summary>
    public string[,]? Annotations { get; set; }

    /// <summary>Numeric extent; when set the axes are numeric (time, frequency) instead of categorical.</summary>
    public Extent? Extent { get; set; }

    /// <summary>Value mapped to the bottom of the colour map; null = data minimum.</summary>
    public double? Min { get; set; }

    /// <summary>Value mapped to the top of the colour map; null = data maximum.</summary>
    public double? Max { get; set; }

    /// <summary>Row 0 at the top (default) or bottom.</summary>
    public HeatmapOrigin Origin { get; set; } = HeatmapOrigin.Top;

    /// <summary>Draw a colour bar (default true).</summary>
    public bool ColorBar { get; set; } = true;

    /// <summary>Title of the colour bar, e.g. "dB" or "% of true class".</summary>
    public string? ColorBarLabel { get; set; }

    /// <summary>Embed as PNG raster (true), SVG rectangles (false), or automatic (null: raster above 2,500 cells).</summary>
    public bool? Raster { get; set; }

    internal override string Kind => "heatmap";

    public HeatmapSeries(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0) throw new FigureException("heatmap: the matrix is empty");
        Values = values;
    }

    /// <summary>From a row-major float buffer <c>[rows × columns]</c> (e.g. a FeatureMatrix's data: frames × mel bands, transpose for display).</summary>
    public static HeatmapSeries FromRowMajor(ReadOnlySpan<float> data, int rows, int columns)
    {
        if (rows <= 0 || columns <= 0 || data.Length != rows * columns)
            throw new FigureException($"heatmap: {data.Length} values do not fill {rows} × {columns}");
        var v = new double[rows, columns];
        for (int r = 0; r < rows; r++) for (int c = 0; c < columns; c++) v[r, c] = data[r * columns + c];
        return new HeatmapSeries(v);
    }

    internal (double Lo, double Hi) ColorRange()
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var x in Values) if (double.IsFinite(x)) { lo = Math.Min(lo, x); hi = Math.Max(hi, x); }
        if (double.IsInfinity(lo)) { lo = 0; hi = 1; }
        lo = Min ?? lo; hi = Max ?? hi;
        if (hi <= lo) hi = lo + 1;
        return (lo, hi);
    }

    internal bool UseRaster => Raster ?? Rows * Columns > 2500;

    /// <summary>
    /// The colour-mapped cells as a PNG (one cell = <paramref name="scale"/>×<paramref name="scale"/> pixels, RGB),
    /// respecting <see cref="Origin"/>: the raster-only rendering used for spectrograms.
    /// </summary>
    public byte[] ToPng(int scale = 1)
    {
        if (scale < 1 || scale > 64) throw new FigureException($"scale = {scale} must be in [1, 64]");
        var (lo, hi) = ColorRange();
        int w = Columns * scale, h = Rows * scale;
        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            int cellRow = y / scale;
            int r = Origin == HeatmapOrigin.Top ? cellRow : Rows - 1 - cellRow;
            for (int x = 0; x < w; x++)
            {
                var col = Palette.Viridis((Values[r, x / scale] - lo) / (hi - lo));
                int o = (y * w + x) * 3;
                px[o] = col.R; px[o + 1] = col.G; px[o + 2] = col.B;
            }
        }
        return PngEncoder.Encode(px, w, h, PngColorType.Rgb);
    }
}
