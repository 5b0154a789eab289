using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// A small SVG plotting surface: one plot area with x/y <see cref="Axis"/>es (linear or log, nice ticks, labels), a
/// title, grid, legend and any mix of line, grouped bar (with error bars), scatter, reference-line and text series, or a
/// heatmap with a viridis colour bar. <see cref="ToSvg"/> is deterministic (same figure → same bytes); renders in
/// notebooks through <see cref="ToMimeBundle"/>. Knows no model, dataset or metric: it draws numbers and names.
/// </summary>
public sealed class Figure
{
    private readonly List<Series> _series = new();

    /// <summary>Canvas width in px (≥ 160).</summary>
    public int Width { get; }

    /// <summary>Canvas height in px (≥ 120).</summary>
    public int Height { get; }

    public string? Title { get; set; }
    public Axis XAxis { get; } = new();
    public Axis YAxis { get; } = new();

    /// <summary>Light grid lines at the ticks (default true).</summary>
    public bool Grid { get; set; } = true;

    public LegendPosition Legend { get; set; } = LegendPosition.TopRight;
    public FigureStyle Style { get; set; } = FigureStyle.Default;
    public IReadOnlyList<Series> Series => _series;

    public Figure(int width = 640, int height = 420)
    {
        if (width < 160 || height < 120 || width > 20000 || height > 20000)
            throw new FigureException($"figure size {width} × {height} px must be within [160, 20000] × [120, 20000]");
        Width = width; Height = height;
    }

    /// <summary>Adds any series.</summary>
    public T Add<T>(T series) where T : Series
    {
        ArgumentNullException.ThrowIfNull(series);
        bool hasHeat = _series.Any(s => s is HeatmapSeries), hasBar = _series.Any(s => s is BarSeries);
        if (series is HeatmapSeries && (hasHeat || hasBar)) throw new FigureException("a figure holds at most one heatmap and no bars beside it");
        if (series is BarSeries && hasHeat) throw new FigureException("bars cannot be added to a heatmap figure");
        _series.Add(series);
        return series;
    }

    /// <summary>Adds a line (training curve).</summary>
    public LineSeries AddLine(IReadOnlyList<double> x, IReadOnlyList<double> y, string? name = null)
        => Add(new LineSeries(x, y) { Name = name });

    /// <summary>Adds a line at x = 1, 2, … (e.g. per-epoch loss).</summary>
    public LineSeries AddLine(IReadOnlyList<double> y, string? name = null)
        => AddLine(Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y, name);

    /// <summary>Adds a filled band between <paramref name="lower"/> and <paramref name="upper"/> (e.g. mean ± std over folds).</summary>
    public BandSeries AddBand(IReadOnlyList<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string? name = null)
        => Add(new BandSeries(x, lower, upper) { Name = name });

    /// <summary>Adds a bar series over the x categories (set <see cref="Axis.Categories"/> on <see cref="XAxis"/>).</summary>
    public BarSeries AddBars(IReadOnlyList<double> values, IReadOnlyList<double>? errors = null, string? name = null)
        => Add(new BarSeries(values, errors) { Name = name });

    /// <summary>Adds scatter points.</summary>
    public ScatterSeries AddScatter(IReadOnlyList<double> x, IReadOnlyList<double> y, string? name = null)
        => Add(new ScatterSeries(x, y) { Name = name });

    /// <summary>One scatter series per class (in order of first appearance), with distinct colours and marker shapes.</summary>
    public IReadOnlyList<ScatterSeries> AddScatterByClass(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (x.Count != y.Count || x.Count != classes.Count)
            throw new FigureException($"scatter by class: x has {x.Count}, y {y.Count} and classes {classes.Count} values; they must match");
        var result = new List<ScatterSeries>();
        int k = 0;
        foreach (var g in Enumerable.Range(0, x.Count).GroupBy(i => classes[i], StringComparer.Ordinal))
        {
            var idx = g.ToArray();
            result.Add(Add(new ScatterSeries(idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray())
            {
                Name = g.Key,
                Color = Palette.Categorical(k),
                Marker = (MarkerShape)(k % 4),
            }));
            k++;
        }
        return result;
    }

    /// <summary>Adds a heatmap (at most one per figure).</summary>
    public HeatmapSeries AddHeatmap(HeatmapSeries heatmap) => Add(heatmap);

    /// <summary>Adds a dashed reference line.</summary>
    public ReferenceLine AddReferenceLine(LineOrientation orientation, double value, string? name = null)
        => Add(new ReferenceLine(orientation, value) { Name = name });

    /// <summary>Quadrant lines at x = <paramref name="x"/> and y = <paramref name="y"/> (valence/arousal plane).</summary>
    public void AddQuadrantLines(double x = 0, double y = 0)
    {
        AddReferenceLine(LineOrientation.Vertical, x);
        AddReferenceLine(LineOrientation.Horizontal, y);
    }

    /// <summary>Adds a text label at data coordinates.</summary>
    public TextAnnotation AddText(double x, double y, string text) => Add(new TextAnnotation(x, y, text));

    // ------------------------------------------------------------------ rendering

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static string N(double v) => Math.Round(v, 2).ToString("0.##", Inv);
    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
    private static double TextWidth(string s, double size) => s.Length * size * 0.64; // DejaVu Sans averages ≈ 0.6 em; wide glyphs (M, W, +) need the margin

    private sealed class Scale
    {
        public double D0, D1, R0, R1; public bool Log;
        public double Map(double v)
        {
            double a = Log ? Math.Log10(D0) : D0, b = Log ? Math.Log10(D1) : D1, x = Log ? Math.Log10(v) : v;
            return R0 + (x - a) / (b - a) * (R1 - R0);
        }
    }

    private sealed record AxisLayout(double Min, double Max, (double Value, string Label)[] Ticks, bool Categorical, bool Log);

    private AxisLayout LayoutAxis(Axis axis, bool isX)
    {
        var heat = _series.OfType<HeatmapSeries>().FirstOrDefault();
        var bars = _series.OfType<BarSeries>().ToArray();
        IReadOnlyList<string>? cats = axis.Categories;
        if (heat is not null && heat.Extent is null)
            cats ??= (isX ? heat.ColumnLabels : heat.RowLabels) ?? Enumerable.Range(0, isX ? heat.Columns : heat.Rows).Select(i => i.ToString(Inv)).ToArray();
        if (isX && bars.Length > 0)
        {
            int n = bars.Max(b => b.Values.Count);
            if (bars.Any(b => b.Values.Count != n)) throw new FigureException($"bar series have different lengths ({string.Join(", ", bars.Select(b => b.Values.Count))}); each needs one value per category");
            cats ??= Enumerable.Range(1, n).Select(i => i.ToString(Inv)).ToArray();
            if (cats.Count != n) throw new FigureException($"x axis has {cats.Count} categories but the bar series have {n} values");
        }
        if (cats is not null)
        {
            if (cats.Count == 0) throw new FigureException($"{(isX ? "x" : "y")} axis has no categories");
            return new AxisLayout(0, cats.Count, cats.Select((c, i) => (i + 0.5, c)).ToArray(), true, false);
        }

        // numeric: data bounds
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        void Take(double v) { if (double.IsFinite(v) && (axis.Scale != AxisScale.Log || v > 0)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); } }
        bool tight = false;
        foreach (var s in _series)
        {
            switch (s)
            {
                case LineSeries l: foreach (var v in isX ? l.X : l.Y) Take(v); break;
                case BandSeries b: foreach (var v in isX ? b.X : b.Lower.Concat(b.Upper)) Take(v); break;
                case ScatterSeries p: foreach (var v in isX ? p.X : p.Y) Take(v); break;
                case BarSeries b when !isX:
                    Take(0);
                    for (int i = 0; i < b.Values.Count; i++) { double e = b.Errors?[i] ?? 0; Take(b.Values[i] + e); Take(b.Values[i] - e); }
                    break;
                case HeatmapSeries h when h.Extent is { } ex:
                    Take(isX ? ex.X0 : ex.Y0); Take(isX ? ex.X1 : ex.Y1); tight = true; break;
                case ReferenceLine r when (r.Orientation == LineOrientation.Vertical) == isX: Take(r.Value); break;
                case TextAnnotation t: Take(isX ? t.X : t.Y); break;
            }
        }
        if (axis.Scale == AxisScale.Log)
        {
            foreach (var s in _series)
            {
                IEnumerable<double> vals = s switch
                {
                    LineSeries l => isX ? l.X : l.Y,
                    BandSeries b => isX ? b.X : b.Lower.Concat(b.Upper),
                    ScatterSeries p => isX ? p.X : p.Y,
                    BarSeries b when !isX => b.Values,
                    _ => [],
                };
                var bad = vals.FirstOrDefault(v => !(v > 0) && !double.IsNaN(v), 1.0);
                if (!(bad > 0)) throw new FigureException($"{(isX ? "x" : "y")} axis is logarithmic but series '{s.Name ?? s.Kind}' has the value {bad.ToString(Inv)} ≤ 0");
            }
        }
        if (double.IsInfinity(lo)) { lo = axis.Scale == AxisScale.Log ? 1 : 0; hi = axis.Scale == AxisScale.Log ? 10 : 1; }
        if (axis.Min is { } mn) lo = mn;
        if (axis.Max is { } mx) hi = mx;
        if (axis.Scale == AxisScale.Log)
        {
            var (l0, l1, vals) = Ticks.Log(lo, hi);
            double a = axis.Min ?? l0, b = axis.Max ?? l1;
            return new AxisLayout(a, b, vals.Where(v => v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9)).Select(v => (v, axis.TickFormat is null ? Ticks.FormatLog(v) : v.ToString(axis.TickFormat, Inv))).ToArray(), false, true);
        }
        if (tight || (axis.Min is not null && axis.Max is not null))
        {
            if (hi <= lo) hi = lo + 1;
            var within = Ticks.Within(lo, hi, axis.TickCount);
            double step = within.Length > 1 ? within[1] - within[0] : Math.Abs(hi - lo);
            return new AxisLayout(lo, hi, within.Select(v => (v, Ticks.Format(v, step, axis.TickFormat))).ToArray(), false, false);
        }
        var (nlo, nhi, st, values) = Ticks.Linear(lo, hi, axis.TickCount);
        double min = axis.Min ?? nlo, max = axis.Max ?? nhi;
        return new AxisLayout(min, max, values.Where(v => v >= min - st * 1e-6 && v <= max + st * 1e-6).Select(v => (v, Ticks.Format(v, st, axis.TickFormat))).ToArray(), false, false);
    }

    private List<(Series S, string Color)> Colored()
    {
        var list = new List<(Series, string)>();
        int k = 0;
        foreach (var s in _series)
        {
            if (s is HeatmapSeries or TextAnnotation) { list.Add((s, "#333333")); continue; }
            if (s is ReferenceLine) { list.Add((s, s.Color ?? "#666666")); continue; }
            list.Add((s, s.Color ?? Palette.Categorical(k)));
            k++;
        }
        return list;
    }

    /// <summary>The figure as a standalone SVG 1.1 document (UTF-8 text, no external resources).</summary>
    public string ToSvg() => Render(0, 0, out _, out _);

    /// <summary>The left and right margins (px) around the plot area that the tick labels, colour bar and legend need (<see cref="FigureStack"/> aligns panels with them).</summary>
    internal (double Left, double Right) Margins()
    {
        Render(0, 0, out double left, out double right);
        return (left, right);
    }

    /// <summary>The SVG with margins of at least <paramref name="minLeft"/> and <paramref name="minRight"/> px (the plot area shrinks); <paramref name="left"/>/<paramref name="right"/> return the margins used.</summary>
    internal string Render(double minLeft, double minRight, out double left, out double right)
    {
        var st = Style;
        var xl = LayoutAxis(XAxis, true);
        var yl = LayoutAxis(YAxis, false);
        var heat = _series.OfType<HeatmapSeries>().FirstOrDefault();
        var colored = Colored();
        var legendItems = colored.Where(c => c.S.Name is not null && c.S is not HeatmapSeries and not TextAnnotation).ToList();
        double legendW = legendItems.Count == 0 ? 0 : legendItems.Max(c => TextWidth(c.S.Name!, st.LegendSize)) + 42;
        double legendH = legendItems.Count * (st.LegendSize + 7) + 10;

        // ---- margins
        double top = Title is null ? 16 : st.TitleSize + 24;
        double yTickW = yl.Ticks.Length == 0 ? 0 : yl.Ticks.Max(t => TextWidth(t.Label, st.TickSize));
        left = 12 + yTickW + 8 + (YAxis.Label is null ? 0 : st.LabelSize + 10);
        right = 18;
        bool colorBar = heat is { ColorBar: true };
        double cbTickW = 0;
        (double Lo, double Hi) cr = heat?.ColorRange() ?? (0, 1);
        double[] cbTicks = colorBar ? Ticks.Within(cr.Lo, cr.Hi, 6) : [];
        double cbStep = cbTicks.Length > 1 ? cbTicks[1] - cbTicks[0] : 1;
        if (colorBar) { cbTickW = cbTicks.Max(t => TextWidth(Ticks.Format(t, cbStep), st.TickSize)); right += 14 + 6 + cbTickW + 8 + (heat!.ColorBarLabel is null ? 0 : st.LabelSize + 8); }
        if (Legend == LegendPosition.OutsideRight && legendItems.Count > 0) right += legendW + 12;
        left = Math.Max(left, minLeft);
        right = Math.Max(right, minRight);
        double plotW = Width - left - right;
        double xBand = xl.Categorical ? plotW / Math.Max(1, xl.Max) : double.PositiveInfinity;
        double xTickMax = xl.Ticks.Length == 0 ? 0 : xl.Ticks.Max(t => TextWidth(t.Label, st.TickSize));
        bool rotate = xl.Categorical && xTickMax > xBand * 0.92;
        double bottom = 10 + st.TickSize + 8 + (rotate ? xTickMax * 0.64 : 0) + (XAxis.Label is null ? 0 : st.LabelSize + 12);
        double plotH = Height - top - bottom;
        if (plotW < 40 || plotH < 40) throw new FigureException($"figure {Width} × {Height} px leaves a {N(plotW)} × {N(plotH)} px plot area; make it larger or the labels shorter");

        var sx = new Scale { D0 = xl.Min, D1 = xl.Max, R0 = left, R1 = left + plotW, Log = xl.Log };
        bool yDown = yl.Categorical && heat is not null && heat.Origin == HeatmapOrigin.Top;
        var sy = new Scale { D0 = yl.Min, D1 = yl.Max, R0 = yDown ? top : top + plotH, R1 = yDown ? top + plotH : top, Log = yl.Log };
        string id = "hfb" + Fnv($"{Width}x{Height}:{N(left)},{N(top)},{N(plotW)},{N(plotH)}");

        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"{Esc(st.FontFamily)}\">\n");
        if (Title is not null) sb.Append($"<title>{Esc(Title)}</title>\n");
        sb.Append($"<defs><clipPath id=\"{id}-clip\"><rect x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(plotW)}\" height=\"{N(plotH)}\"/></clipPath>");
        if (colorBar)
        {
            sb.Append($"<linearGradient id=\"{id}-cb\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
            for (int i = 0; i <= 16; i++) sb.Append($"<stop offset=\"{N(i / 16.0)}\" stop-color=\"{Palette.Viridis(i / 16.0).Hex}\"/>");
            sb.Append("</linearGradient>");
        }
        sb.Append("</defs>\n");
        sb.Append($"<rect class=\"background\" x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");

        // ---- grid
        if (Grid && heat is null)
        {
            sb.Append($"<g class=\"grid\" stroke=\"{st.GridColor}\" stroke-width=\"1\">");
            if (!xl.Categorical) foreach (var t in xl.Ticks) { double x = sx.Map(t.Value); sb.Append($"<line x1=\"{N(x)}\" y1=\"{N(top)}\" x2=\"{N(x)}\" y2=\"{N(top + plotH)}\"/>"); }
            foreach (var t in yl.Ticks) { double y = sy.Map(t.Value); sb.Append($"<line x1=\"{N(left)}\" y1=\"{N(y)}\" x2=\"{N(left + plotW)}\" y2=\"{N(y)}\"/>"); }
            sb.Append("</g>\n");
        }

        // ---- series
        sb.Append($"<g class=\"series\" clip-path=\"url(#{id}-clip)\">\n");
        if (heat is not null) RenderHeatmap(sb, heat, sx, sy, cr, st);
        var barList = colored.Where(c => c.S is BarSeries).ToList();
        for (int b = 0; b < barList.Count; b++) RenderBars(sb, (BarSeries)barList[b].S, barList[b].Color, b, barList.Count, sx, sy);
        foreach (var (s, color) in colored) if (s is BandSeries band) RenderBand(sb, band, color, sx, sy); // under the lines
        foreach (var (s, color) in colored)
        {
            switch (s)
            {
                case LineSeries l: RenderLine(sb, l, color, sx, sy); break;
                case ScatterSeries p: RenderScatter(sb, p, color, sx, sy); break;
                case ReferenceLine r:
                    if (r.Orientation == LineOrientation.Vertical) { double x = sx.Map(r.Value); sb.Append($"<line class=\"reference\" x1=\"{N(x)}\" y1=\"{N(top)}\" x2=\"{N(x)}\" y2=\"{N(top + plotH)}\" stroke=\"{color}\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>\n"); }
                    else { double y = sy.Map(r.Value); sb.Append($"<line class=\"reference\" x1=\"{N(left)}\" y1=\"{N(y)}\" x2=\"{N(left + plotW)}\" y2=\"{N(y)}\" stroke=\"{color}\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>\n"); }
                    break;
                case TextAnnotation t:
                    sb.Append($"<text class=\"annotation\" x=\"{N(sx.Map(t.X))}\" y=\"{N(sy.Map(t.Y))}\" font-size=\"{N(st.LegendSize)}\" fill=\"#555555\" text-anchor=\"middle\">{Esc(t.Text)}</text>\n");
                    break;
            }
        }
        sb.Append("</g>\n");

        // ---- axes frame, ticks, tick labels
        sb.Append($"<g class=\"axes\" stroke=\"{st.AxisColor}\" fill=\"none\" stroke-width=\"1\"><rect x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(plotW)}\" height=\"{N(plotH)}\"/>");
        foreach (var t in xl.Ticks) { double x = sx.Map(t.Value); sb.Append($"<line x1=\"{N(x)}\" y1=\"{N(top + plotH)}\" x2=\"{N(x)}\" y2=\"{N(top + plotH + 5)}\"/>"); }
        foreach (var t in yl.Ticks) { double y = sy.Map(t.Value); sb.Append($"<line x1=\"{N(left - 5)}\" y1=\"{N(y)}\" x2=\"{N(left)}\" y2=\"{N(y)}\"/>"); }
        sb.Append("</g>\n");
        sb.Append($"<g class=\"x-ticks\" font-size=\"{N(st.TickSize)}\" fill=\"{st.AxisColor}\">");
        foreach (var t in xl.Ticks)
        {
            double x = sx.Map(t.Value), y = top + plotH + 8 + st.TickSize;
            if (rotate) sb.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"end\" transform=\"rotate(-40 {N(x)} {N(y)})\">{Esc(t.Label)}</text>");
            else sb.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"middle\">{Esc(t.Label)}</text>");
        }
        sb.Append("</g>\n");
        sb.Append($"<g class=\"y-ticks\" font-size=\"{N(st.TickSize)}\" fill=\"{st.AxisColor}\" text-anchor=\"end\">");
        foreach (var t in yl.Ticks) sb.Append($"<text x=\"{N(left - 8)}\" y=\"{N(sy.Map(t.Value) + st.TickSize * 0.35)}\">{Esc(t.Label)}</text>");
        sb.Append("</g>\n");

        // ---- axis labels and title
        if (XAxis.Label is not null)
            sb.Append($"<text class=\"x-label\" x=\"{N(left + plotW / 2)}\" y=\"{N(Height - 10)}\" font-size=\"{N(st.LabelSize)}\" text-anchor=\"middle\" fill=\"#000000\">{Esc(XAxis.Label)}</text>\n");
        if (YAxis.Label is not null)
        {
            double x = 8 + st.LabelSize, y = top + plotH / 2;
            sb.Append($"<text class=\"y-label\" x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(st.LabelSize)}\" text-anchor=\"middle\" fill=\"#000000\" transform=\"rotate(-90 {N(x)} {N(y)})\">{Esc(YAxis.Label)}</text>\n");
        }
        if (Title is not null)
            sb.Append($"<text class=\"title\" x=\"{N(left + plotW / 2)}\" y=\"{N(8 + st.TitleSize)}\" font-size=\"{N(st.TitleSize)}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#000000\">{Esc(Title)}</text>\n");

        // ---- colour bar
        if (colorBar)
        {
            double cx = left + plotW + 14;
            sb.Append($"<g class=\"colorbar\"><rect x=\"{N(cx)}\" y=\"{N(top)}\" width=\"14\" height=\"{N(plotH)}\" fill=\"url(#{id}-cb)\" stroke=\"{st.AxisColor}\" stroke-width=\"0.8\"/>");
            var cs = new Scale { D0 = cr.Lo, D1 = cr.Hi, R0 = top + plotH, R1 = top };
            foreach (var t in cbTicks)
            {
                double y = cs.Map(t);
                sb.Append($"<line x1=\"{N(cx + 14)}\" y1=\"{N(y)}\" x2=\"{N(cx + 18)}\" y2=\"{N(y)}\" stroke=\"{st.AxisColor}\"/>");
                sb.Append($"<text x=\"{N(cx + 20)}\" y=\"{N(y + st.TickSize * 0.35)}\" font-size=\"{N(st.TickSize)}\" fill=\"{st.AxisColor}\">{Esc(Ticks.Format(t, cbStep))}</text>");
            }
            if (heat!.ColorBarLabel is not null)
            {
                double x = cx + 14 + 6 + cbTickW + 8 + st.LabelSize * 0.8, y = top + plotH / 2;
                sb.Append($"<text class=\"colorbar-label\" x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(st.LabelSize)}\" text-anchor=\"middle\" transform=\"rotate(-90 {N(x)} {N(y)})\">{Esc(heat.ColorBarLabel)}</text>");
            }
            sb.Append("</g>\n");
        }

        // ---- legend
        if (Legend != LegendPosition.None && legendItems.Count > 0)
        {
            double lx = Legend switch
            {
                LegendPosition.TopLeft or LegendPosition.BottomLeft => left + 8,
                LegendPosition.OutsideRight => Width - legendW - 8,
                _ => left + plotW - legendW - 8,
            };
            double ly = Legend is LegendPosition.BottomLeft or LegendPosition.BottomRight ? top + plotH - legendH - 8 : top + 8;
            sb.Append($"<g class=\"legend\" font-size=\"{N(st.LegendSize)}\"><rect x=\"{N(lx)}\" y=\"{N(ly)}\" width=\"{N(legendW)}\" height=\"{N(legendH)}\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#bbbbbb\"/>");
            for (int i = 0; i < legendItems.Count; i++)
            {
                var (s, color) = legendItems[i];
                double cy = ly + 5 + (st.LegendSize + 7) * (i + 0.5) + 1;
                double x0 = lx + 8;
                switch (s)
                {
                    case BarSeries: sb.Append($"<rect x=\"{N(x0)}\" y=\"{N(cy - 5)}\" width=\"18\" height=\"10\" fill=\"{color}\"/>"); break;
                    case ScatterSeries p: sb.Append(Marker(p.Marker, x0 + 9, cy, p.Size, color, 1)); break;
                    case BandSeries bs: sb.Append($"<rect x=\"{N(x0)}\" y=\"{N(cy - 5)}\" width=\"18\" height=\"10\" fill=\"{color}\" fill-opacity=\"{N(bs.Opacity)}\"/>"); break;
                    case LineSeries l: sb.Append($"<line x1=\"{N(x0)}\" y1=\"{N(cy)}\" x2=\"{N(x0 + 18)}\" y2=\"{N(cy)}\" stroke=\"{color}\" stroke-width=\"{N(l.StrokeWidth)}\"{(l.Dashed ? " stroke-dasharray=\"6 4\"" : "")}/>"); break;
                    default: sb.Append($"<line x1=\"{N(x0)}\" y1=\"{N(cy)}\" x2=\"{N(x0 + 18)}\" y2=\"{N(cy)}\" stroke=\"{color}\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>"); break;
                }
                sb.Append($"<text class=\"legend-entry\" x=\"{N(x0 + 26)}\" y=\"{N(cy + st.LegendSize * 0.35)}\" fill=\"#000000\">{Esc(s.Name!)}</text>");
            }
            sb.Append("</g>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void RenderLine(StringBuilder sb, LineSeries l, string color, Scale sx, Scale sy)
    {
        var pts = new StringBuilder();
        void Flush()
        {
            if (pts.Length == 0) return;
            sb.Append($"<polyline class=\"line\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{N(l.StrokeWidth)}\" stroke-linejoin=\"round\"{(l.Dashed ? " stroke-dasharray=\"6 4\"" : "")} points=\"{pts.ToString().TrimEnd()}\"/>\n");
            pts.Clear();
        }
        for (int i = 0; i < l.X.Count; i++)
        {
            if (!Valid(l.X[i], sx) || !Valid(l.Y[i], sy)) { Flush(); continue; }
            pts.Append(N(sx.Map(l.X[i]))).Append(',').Append(N(sy.Map(l.Y[i]))).Append(' ');
        }
        Flush();
        if (l.Markers)
            for (int i = 0; i < l.X.Count; i++)
                if (Valid(l.X[i], sx) && Valid(l.Y[i], sy))
                    sb.Append($"<circle cx=\"{N(sx.Map(l.X[i]))}\" cy=\"{N(sy.Map(l.Y[i]))}\" r=\"{N(l.StrokeWidth + 1.5)}\" fill=\"{color}\"/>");
    }

    private static void RenderBand(StringBuilder sb, BandSeries b, string color, Scale sx, Scale sy)
    {
        int i = 0, n = b.X.Count;
        while (i < n)
        {
            bool Ok(int k) => Valid(b.X[k], sx) && Valid(b.Lower[k], sy) && Valid(b.Upper[k], sy);
            while (i < n && !Ok(i)) i++;
            int start = i;
            while (i < n && Ok(i)) i++;
            if (i - start < 2) continue;
            var pts = new StringBuilder();
            for (int k = start; k < i; k++) pts.Append(N(sx.Map(b.X[k]))).Append(',').Append(N(sy.Map(b.Upper[k]))).Append(' ');
            for (int k = i - 1; k >= start; k--) pts.Append(N(sx.Map(b.X[k]))).Append(',').Append(N(sy.Map(b.Lower[k]))).Append(' ');
            sb.Append($"<polygon class=\"band\" fill=\"{color}\" fill-opacity=\"{N(b.Opacity)}\" stroke=\"none\" points=\"{pts.ToString().TrimEnd()}\"/>\n");
        }
    }

    private static bool Valid(double v, Scale s) => double.IsFinite(v) && (!s.Log || v > 0);

    private static void RenderScatter(StringBuilder sb, ScatterSeries p, string color, Scale sx, Scale sy)
    {
        sb.Append($"<g class=\"scatter\" data-name=\"{Esc(p.Name ?? "")}\">");
        for (int i = 0; i < p.X.Count; i++)
            if (Valid(p.X[i], sx) && Valid(p.Y[i], sy)) sb.Append(Marker(p.Marker, sx.Map(p.X[i]), sy.Map(p.Y[i]), p.Size, color, p.Opacity));
        sb.Append("</g>\n");
    }

    private static string Marker(MarkerShape shape, double x, double y, double r, string color, double opacity)
    {
        string style = $"fill=\"{color}\" fill-opacity=\"{N(opacity)}\" stroke=\"{color}\" stroke-width=\"0.8\"";
        return shape switch
        {
            MarkerShape.Square => $"<rect class=\"marker\" x=\"{N(x - r * 0.9)}\" y=\"{N(y - r * 0.9)}\" width=\"{N(r * 1.8)}\" height=\"{N(r * 1.8)}\" {style}/>",
            MarkerShape.Triangle => $"<polygon class=\"marker\" points=\"{N(x)},{N(y - r * 1.15)} {N(x + r)},{N(y + r * 0.75)} {N(x - r)},{N(y + r * 0.75)}\" {style}/>",
            MarkerShape.Diamond => $"<polygon class=\"marker\" points=\"{N(x)},{N(y - r * 1.2)} {N(x + r)},{N(y)} {N(x)},{N(y + r * 1.2)} {N(x - r)},{N(y)}\" {style}/>",
            _ => $"<circle class=\"marker\" cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\" {style}/>",
        };
    }

    private static void RenderBars(StringBuilder sb, BarSeries b, string color, int index, int count, Scale sx, Scale sy)
    {
        double groupW = 0.8, w = groupW / count;
        sb.Append($"<g class=\"bars\" data-name=\"{Esc(b.Name ?? "")}\">");
        for (int i = 0; i < b.Values.Count; i++)
        {
            double v = b.Values[i];
            if (!double.IsFinite(v)) continue;
            double x0 = sx.Map(i + 0.5 - groupW / 2 + index * w), x1 = sx.Map(i + 0.5 - groupW / 2 + (index + 1) * w);
            double baseV = sy.Log ? sy.D0 : 0;
            double y0 = sy.Map(baseV), y1 = sy.Map(v);
            sb.Append($"<rect class=\"bar\" x=\"{N(x0 + 0.5)}\" y=\"{N(Math.Min(y0, y1))}\" width=\"{N(Math.Max(0, x1 - x0 - 1))}\" height=\"{N(Math.Abs(y1 - y0))}\" fill=\"{color}\"/>");
            if (b.Errors is { } err && err[i] > 0)
            {
                double cx = (x0 + x1) / 2, ya = sy.Map(v - err[i]), yb = sy.Map(v + err[i]), cap = Math.Min(6, (x1 - x0) / 4);
                sb.Append($"<path class=\"error-bar\" d=\"M{N(cx)} {N(ya)}V{N(yb)}M{N(cx - cap)} {N(ya)}H{N(cx + cap)}M{N(cx - cap)} {N(yb)}H{N(cx + cap)}\" stroke=\"#222222\" stroke-width=\"1.2\" fill=\"none\"/>");
            }
        }
        sb.Append("</g>\n");
    }

    private static void RenderHeatmap(StringBuilder sb, HeatmapSeries h, Scale sx, Scale sy, (double Lo, double Hi) cr, FigureStyle st)
    {
        int rows = h.Rows, cols = h.Columns;
        // Cell (r, c) covers x in [cx0, cx1], y in [ry0, ry1] in data units.
        double X(int c) => h.Extent is { } e ? e.X0 + (e.X1 - e.X0) * c / cols : c;
        double Y(int r) => h.Extent is { } e ? e.Y0 + (e.Y1 - e.Y0) * r / rows : r;
        if (h.UseRaster)
        {
            // PNG rows run top to bottom of the drawn image.
            bool rowZeroAtTop = sy.Map(Y(0)) < sy.Map(Y(rows));
            var copy = new HeatmapSeries(h.Values) { Min = cr.Lo, Max = cr.Hi, Origin = rowZeroAtTop ? HeatmapOrigin.Top : HeatmapOrigin.Bottom };
            string b64 = Convert.ToBase64String(copy.ToPng());
            double xa = sx.Map(X(0)), xb = sx.Map(X(cols)), ya = sy.Map(Y(0)), yb = sy.Map(Y(rows));
            sb.Append($"<image class=\"heatmap-raster\" x=\"{N(Math.Min(xa, xb))}\" y=\"{N(Math.Min(ya, yb))}\" width=\"{N(Math.Abs(xb - xa))}\" height=\"{N(Math.Abs(yb - ya))}\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64,{b64}\"/>\n");
        }
        else
        {
            sb.Append("<g class=\"heatmap\">");
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    double xa = sx.Map(X(c)), xb = sx.Map(X(c + 1)), ya = sy.Map(Y(r)), yb = sy.Map(Y(r + 1));
                    var fill = Palette.Viridis((h.Values[r, c] - cr.Lo) / (cr.Hi - cr.Lo));
                    sb.Append($"<rect class=\"cell\" x=\"{N(Math.Min(xa, xb))}\" y=\"{N(Math.Min(ya, yb))}\" width=\"{N(Math.Abs(xb - xa) + 0.3)}\" height=\"{N(Math.Abs(yb - ya) + 0.3)}\" fill=\"{fill.Hex}\"/>");
                }
            sb.Append("</g>\n");
        }
        if (h.Annotations is { } notes)
        {
            if (notes.GetLength(0) != rows || notes.GetLength(1) != cols)
                throw new FigureException($"heatmap annotations are {notes.GetLength(0)} × {notes.GetLength(1)} but the matrix is {rows} × {cols}");
            sb.Append("<g class=\"cell-annotations\" text-anchor=\"middle\">");
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    var lines = (notes[r, c] ?? "").Split('\n');
                    double xa = sx.Map(X(c)), xb = sx.Map(X(c + 1)), ya = sy.Map(Y(r)), yb = sy.Map(Y(r + 1));
                    double cw = Math.Abs(xb - xa), ch = Math.Abs(yb - ya);
                    int maxLen = Math.Max(1, lines.Max(l => l.Length));
                    double size = Math.Min(st.TickSize + 1, Math.Min(ch / (lines.Length * 1.25), cw / (maxLen * 0.62)));
                    if (size < 6) continue;
                    var fill = Palette.Viridis((h.Values[r, c] - cr.Lo) / (cr.Hi - cr.Lo));
                    string ink = fill.Luminance < 0.55 ? "#ffffff" : "#000000";
                    double cx = (xa + xb) / 2, cy = (ya + yb) / 2, lh = size * 1.2;
                    sb.Append($"<text font-size=\"{N(size)}\" fill=\"{ink}\">");
                    for (int i = 0; i < lines.Length; i++)
                        sb.Append($"<tspan x=\"{N(cx)}\" y=\"{N(cy + size * 0.35 - (lines.Length - 1) * lh / 2 + i * lh)}\">{Esc(lines[i])}</tspan>");
                    sb.Append("</text>");
                }
            sb.Append("</g>\n");
        }
    }

    private static string Fnv(string s)
    {
        uint h = 2166136261;
        foreach (char ch in s) { h ^= ch; h *= 16777619; }
        return h.ToString("x8", Inv);
    }

    // ------------------------------------------------------------------ output

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/> atomically (UTF-8).</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, ToSvg());

    /// <summary>
    /// Saves a raster-only figure — a single <see cref="HeatmapSeries"/> (spectrogram) and nothing else — as a PNG of its
    /// colour-mapped cells, via <see cref="PngEncoder"/>: one cell = <paramref name="scale"/>² pixels, no axes or text.
    /// For figures with vector content use <see cref="SaveRenderedPng"/>.
    /// </summary>
    /// <exception cref="FigureException">the figure has other series than one heatmap.</exception>
    public void SavePng(string path, int scale = 1)
    {
        if (_series.Count != 1 || _series[0] is not HeatmapSeries h)
            throw new FigureException($"SavePng writes raster-only figures (exactly one heatmap); this figure has {_series.Count} series ({string.Join(", ", _series.Select(s => s.Kind))}); use SaveSvg or SaveRenderedPng");
        AtomicFile.WriteAllBytes(path, h.ToPng(scale));
    }

    /// <summary>
    /// Renders the full SVG to PNG with librsvg's <c>rsvg-convert</c> (Debian package <c>librsvg2-bin</c>) at
    /// <paramref name="zoom"/> × the figure's pixel size, and writes it atomically.
    /// </summary>
    /// <exception cref="ExternalToolException">rsvg-convert is not installed or fails.</exception>
    public void SaveRenderedPng(string path, double zoom = 1)
    {
        if (!(zoom > 0 && zoom <= 8)) throw new FigureException($"zoom = {zoom.ToString(Inv)} must be in (0, 8]");
        AtomicFile.WriteAllBytes(path, RenderWithRsvg(ToSvg(), zoom));
    }

    /// <summary>Converts SVG text to PNG bytes with <c>rsvg-convert</c>.</summary>
    public static byte[] RenderWithRsvg(string svg, double zoom = 1)
    {
        var psi = new ProcessStartInfo("rsvg-convert", ["--format", "png", "--zoom", zoom.ToString(Inv), "--background-color", "white"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process p;
        try { p = Process.Start(psi) ?? throw new ExternalToolException("rsvg-convert", "rsvg-convert could not be started"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException("rsvg-convert", "rsvg-convert is not installed (Debian: apt-get install librsvg2-bin); it is needed to render SVG figures to PNG", e);
        }
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            using var ms = new MemoryStream();
            var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
            p.StandardInput.Write(svg);
            p.StandardInput.Close();
            copy.Wait();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new ExternalToolException("rsvg-convert", $"rsvg-convert failed with exit code {p.ExitCode}: {stderr.Result.Trim()}");
            return ms.ToArray();
        }
    }

    /// <summary>Rich display for notebooks: image/svg+xml and a text/plain description.</summary>
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        ["image/svg+xml"] = ToSvg(),
        ["text/plain"] = ToString(),
    };

    public override string ToString()
        => $"Figure{(Title is null ? "" : $" '{Title}'")} {Width}×{Height}: {_series.Count} series ({string.Join(", ", _series.Select(s => s.Name is null ? s.Kind : $"{s.Kind} '{s.Name}'"))})";
}
