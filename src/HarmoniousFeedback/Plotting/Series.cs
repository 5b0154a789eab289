namespace HarmoniousFeedback.Plotting;

/// <summary>A drawable data series of a <see cref="Figure"/>. <see cref="Name"/> (if set) appears in the legend.</summary>
public abstract class Series
{
    /// <summary>Legend entry; null keeps the series out of the legend.</summary>
    public string? Name { get; set; }

    /// <summary>"#rrggbb"; null = the next colour of <see cref="Palette.OkabeIto"/>.</summary>
    public string? Color { get; set; }

    internal abstract string Kind { get; }
}

/// <summary>A polyline through (X[i], Y[i]) — training curves, learning curves. NaN points break the line.</summary>
public sealed class LineSeries : Series
{
    public IReadOnlyList<double> X { get; }
    public IReadOnlyList<double> Y { get; }

    /// <summary>Stroke width in px (default 2).</summary>
    public double StrokeWidth { get; set; } = 2;

    /// <summary>Dashed stroke (e.g. validation vs training curve).</summary>
    public bool Dashed { get; set; }

    /// <summary>Draw a small circle at each point.</summary>
    public bool Markers { get; set; }

    internal override string Kind => "line";

    public LineSeries(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new FigureException($"line series: x has {x.Count} values but y has {y.Count}");
        X = x.ToArray(); Y = y.ToArray();
    }
}

/// <summary>
/// A filled band between <see cref="Lower"/>[i] and <see cref="Upper"/>[i] over <see cref="X"/>[i] — e.g. mean ± std of
/// a training curve over folds. Drawn under the lines, at <see cref="Opacity"/>; NaN points break the band. Kept out of the
/// legend unless named.
/// </summary>
public sealed class BandSeries : Series
{
    public IReadOnlyList<double> X { get; }
    public IReadOnlyList<double> Lower { get; }
    public IReadOnlyList<double> Upper { get; }

    /// <summary>Fill opacity 0..1 (default 0.2).</summary>
    public double Opacity { get; set; } = 0.2;

    internal override string Kind => "band";

    public BandSeries(IReadOnlyList<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(lower); ArgumentNullException.ThrowIfNull(upper);
        if (x.Count != lower.Count || x.Count != upper.Count)
            throw new FigureException($"band series: x has {x.Count} values, lower {lower.Count} and upper {upper.Count}; they must match");
        X = x.ToArray(); Lower = lower.ToArray(); Upper = upper.ToArray();
    }
}

/// <summary>
/// One bar per category (the figure's x categories), optionally with symmetric error bars (±<see cref="Errors"/>,
/// e.g. the std over folds). Several bar series are drawn grouped side by side within each category.
/// </summary>
public sealed class BarSeries : Series
{
    public IReadOnlyList<double> Values { get; }
    public IReadOnlyList<double>? Errors { get; }
    internal override string Kind => "bar";

    public BarSeries(IReadOnlyList<double> values, IReadOnlyList<double>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (errors is not null && errors.Count != values.Count)
            throw new FigureException($"bar series: {errors.Count} error values for {values.Count} bars");
        if (errors is not null && errors.Any(e => e < 0 || double.IsNaN(e)))
            throw new FigureException("bar series: error bar half-widths must be ≥ 0");
        Values = values.ToArray(); Errors = errors?.ToArray();
    }
}

/// <summary>Marker shapes for scatter plots; shapes as well as colours tell classes apart (colour-blind and greyscale safe).</summary>
public enum MarkerShape { Circle, Square, Triangle, Diamond }

/// <summary>Points (X[i], Y[i]) — e.g. valence/arousal of clips, one series per class.</summary>
public sealed class ScatterSeries : Series
{
    public IReadOnlyList<double> X { get; }
    public IReadOnlyList<double> Y { get; }
    public MarkerShape Marker { get; set; } = MarkerShape.Circle;

    /// <summary>Marker radius in px (default 4).</summary>
    public double Size { get; set; } = 4;

    /// <summary>Fill opacity 0..1 (default 0.75) so overlapping points stay visible.</summary>
    public double Opacity { get; set; } = 0.75;

    internal override string Kind => "scatter";

    public ScatterSeries(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new FigureException($"scatter series: x has {x.Count} values but y has {y.Count}");
        X = x.ToArray(); Y = y.ToArray();
    }
}

/// <summary>Where row 0 of a heatmap is drawn.</summary>
public enum HeatmapOrigin
{
    /// <summary>Row 0 at the top (matrices: confusion matrices).</summary>
    Top,
    /// <summary>Row 0 at the bottom (images with a frequency axis: spectrograms).</summary>
    Bottom,
}

/// <summary>Data coordinates covered by a heatmap: columns span [X0, X1], rows span [Y0, Y1].</summary>
public readonly record struct Extent(double X0, double X1, double Y0, double Y1);

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

/// <summary>Orientation of a <see cref="ReferenceLine"/>.</summary>
public enum LineOrientation { Horizontal, Vertical }

/// <summary>A dashed line across the plot at a fixed value — quadrant lines at valence = 0 and arousal = 0, a chance level.</summary>
public sealed class ReferenceLine : Series
{
    public LineOrientation Orientation { get; }
    public double Value { get; }
    internal override string Kind => "reference";

    public ReferenceLine(LineOrientation orientation, double value)
    {
        if (!double.IsFinite(value)) throw new FigureException($"reference line at {value} is not finite");
        Orientation = orientation; Value = value;
    }
}

/// <summary>A text label at data coordinates (e.g. quadrant names "happy", "sad").</summary>
public sealed class TextAnnotation : Series
{
    public double X { get; }
    public double Y { get; }
    public string Text { get; }
    internal override string Kind => "text";

    public TextAnnotation(double x, double y, string text) { X = x; Y = y; Text = text ?? ""; }
}
