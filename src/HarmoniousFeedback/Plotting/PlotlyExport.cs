using System.Text.Json;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// Export of a <see cref="Figure"/> to Plotly's figure JSON (<c>{"data": [...], "layout": {...}}</c>, the
/// <c>application/vnd.plotly.v1+json</c> MIME payload) for interactive viewing: lines and scatter as <c>scatter</c>
/// traces, bars as <c>bar</c> traces with <c>error_y</c>, the heatmap as a <c>heatmap</c> trace with the Viridis scale,
/// reference lines as layout shapes, text as annotations. Colours, titles, axis types and ranges carry over.
/// </summary>
public static class PlotlyExport
{
    /// <summary>The figure as Plotly JSON (UTF-8 text, invariant number formatting, deterministic).</summary>
    public static string ToPlotlyJson(this Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            int k = 0;
            var barX = figure.XAxis.Categories;
            foreach (var s in figure.Series)
            {
                string color = s.Color ?? Palette.Categorical(k);
                switch (s)
                {
                    case LineSeries l:
                        w.WriteStartObject(); w.WriteString("type", "scatter"); w.WriteString("mode", l.Markers ? "lines+markers" : "lines");
                        Name(w, s); Numbers(w, "x", l.X); Numbers(w, "y", l.Y);
                        w.WriteStartObject("line"); w.WriteString("color", color); w.WriteNumber("width", l.StrokeWidth); if (l.Dashed) w.WriteString("dash", "dash"); w.WriteEndObject();
                        w.WriteEndObject(); k++; break;
                    case BandSeries b:
                        // Plotly draws a band as the lower edge (no line) and the upper edge filled down to it.
                        w.WriteStartObject(); w.WriteString("type", "scatter"); w.WriteString("mode", "lines"); w.WriteBoolean("showlegend", false); w.WriteString("hoverinfo", "skip");
                        Numbers(w, "x", b.X); Numbers(w, "y", b.Lower);
                        w.WriteStartObject("line"); w.WriteNumber("width", 0); w.WriteEndObject(); w.WriteEndObject();
                        w.WriteStartObject(); w.WriteString("type", "scatter"); w.WriteString("mode", "lines"); w.WriteString("fill", "tonexty");
                        Name(w, s); Numbers(w, "x", b.X); Numbers(w, "y", b.Upper);
                        w.WriteString("fillcolor", Rgba(color, b.Opacity));
                        w.WriteStartObject("line"); w.WriteNumber("width", 0); w.WriteEndObject(); w.WriteEndObject(); k++; break;
                    case ScatterSeries p:
                        w.WriteStartObject(); w.WriteString("type", "scatter"); w.WriteString("mode", "markers");
                        Name(w, s); Numbers(w, "x", p.X); Numbers(w, "y", p.Y);
                        w.WriteStartObject("marker"); w.WriteString("color", color); w.WriteNumber("size", 2 * p.Size); w.WriteNumber("opacity", p.Opacity);
                        w.WriteString("symbol", p.Marker switch { MarkerShape.Square => "square", MarkerShape.Triangle => "triangle-up", MarkerShape.Diamond => "diamond", _ => "circle" });
                        w.WriteEndObject(); w.WriteEndObject(); k++; break;
                    case BarSeries b:
                        w.WriteStartObject(); w.WriteString("type", "bar"); Name(w, s);
                        w.WriteStartArray("x");
                        for (int i = 0; i < b.Values.Count; i++) w.WriteStringValue(barX is not null && i < barX.Count ? barX[i] : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        w.WriteEndArray();
                        Numbers(w, "y", b.Values);
                        w.WriteStartObject("marker"); w.WriteString("color", color); w.WriteEndObject();
                        if (b.Errors is { } e) { w.WriteStartObject("error_y"); w.WriteString("type", "data"); Numbers(w, "array", e); w.WriteBoolean("visible", true); w.WriteEndObject(); }
                        w.WriteEndObject(); k++; break;
                    case HeatmapSeries h:
                        w.WriteStartObject(); w.WriteString("type", "heatmap"); w.WriteString("colorscale", "Viridis");
                        var (lo, hi) = h.ColorRange(); w.WriteNumber("zmin", lo); w.WriteNumber("zmax", hi);
                        w.WriteStartArray("z");
                        for (int r = 0; r < h.Rows; r++)
                        {
                            w.WriteStartArray();
                            for (int c = 0; c < h.Columns; c++) Number(w, h.Values[r, c]);
                            w.WriteEndArray();
                        }
                        w.WriteEndArray();
                        if (h.Extent is { } ex)
                        {
                            Numbers(w, "x", Enumerable.Range(0, h.Columns).Select(c => ex.X0 + (ex.X1 - ex.X0) * (c + 0.5) / h.Columns).ToArray());
                            Numbers(w, "y", Enumerable.Range(0, h.Rows).Select(r => ex.Y0 + (ex.Y1 - ex.Y0) * (r + 0.5) / h.Rows).ToArray());
                        }
                        else
                        {
                            Strings(w, "x", h.ColumnLabels); Strings(w, "y", h.RowLabels);
                        }
                        if (h.Annotations is { } notes)
                        {
                            w.WriteStartArray("text");
                            for (int r = 0; r < h.Rows; r++) { w.WriteStartArray(); for (int c = 0; c < h.Columns; c++) w.WriteStringValue((notes[r, c] ?? "").Replace("\n", "<br>")); w.WriteEndArray(); }
                            w.WriteEndArray();
                            w.WriteString("texttemplate", "%{text}");
                        }
                        if (h.ColorBarLabel is not null) { w.WriteStartObject("colorbar"); w.WriteStartObject("title"); w.WriteString("text", h.ColorBarLabel); w.WriteEndObject(); w.WriteEndObject(); }
                        w.WriteEndObject(); break;
                }
            }
            w.WriteEndArray();

            w.WriteStartObject("layout");
            w.WriteNumber("width", figure.Width); w.WriteNumber("height", figure.Height);
            if (figure.Title is not null) { w.WriteStartObject("title"); w.WriteString("text", figure.Title); w.WriteEndObject(); }
            w.WriteBoolean("showlegend", figure.Legend != LegendPosition.None);
            if (figure.Series.OfType<BarSeries>().Any()) w.WriteString("barmode", "group");
            var heat = figure.Series.OfType<HeatmapSeries>().FirstOrDefault();
            AxisJson(w, "xaxis", figure.XAxis, false);
            AxisJson(w, "yaxis", figure.YAxis, heat is { Extent: null, Origin: HeatmapOrigin.Top });
            w.WriteStartArray("shapes");
            foreach (var r in figure.Series.OfType<ReferenceLine>())
            {
                bool v = r.Orientation == LineOrientation.Vertical;
                w.WriteStartObject(); w.WriteString("type", "line");
                w.WriteString("xref", v ? "x" : "paper"); w.WriteString("yref", v ? "paper" : "y");
                w.WriteNumber("x0", v ? r.Value : 0); w.WriteNumber("x1", v ? r.Value : 1); w.WriteNumber("y0", v ? 0 : r.Value); w.WriteNumber("y1", v ? 1 : r.Value);
                w.WriteStartObject("line"); w.WriteString("color", r.Color ?? "#666666"); w.WriteString("dash", "dash"); w.WriteNumber("width", 1.2); w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("annotations");
            foreach (var t in figure.Series.OfType<TextAnnotation>())
            {
                w.WriteStartObject(); w.WriteNumber("x", t.X); w.WriteNumber("y", t.Y); w.WriteString("text", t.Text); w.WriteBoolean("showarrow", false); w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void AxisJson(Utf8JsonWriter w, string name, Axis a, bool reversed)
    {
        w.WriteStartObject(name);
        if (a.Label is not null) { w.WriteStartObject("title"); w.WriteString("text", a.Label); w.WriteEndObject(); }
        if (a.Scale == AxisScale.Log) w.WriteString("type", "log");
        if (a.Min is { } mn && a.Max is { } mx)
        {
            w.WriteStartArray("range");
            if (a.Scale == AxisScale.Log) { w.WriteNumberValue(Math.Log10(mn)); w.WriteNumberValue(Math.Log10(mx)); }
            else { w.WriteNumberValue(mn); w.WriteNumberValue(mx); }
            w.WriteEndArray();
        }
        if (reversed) w.WriteString("autorange", "reversed");
        w.WriteEndObject();
    }

    /// <summary>"#rrggbb" and an opacity as CSS "rgba(r,g,b,a)" (Plotly's fillcolor).</summary>
    private static string Rgba(string hex, double opacity)
    {
        int v = Convert.ToInt32(hex.TrimStart('#')[..6], 16);
        return $"rgba({v >> 16},{(v >> 8) & 255},{v & 255},{opacity.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)})";
    }

    private static void Name(Utf8JsonWriter w, Series s)
    {
        if (s.Name is not null) w.WriteString("name", s.Name);
        else w.WriteBoolean("showlegend", false);
    }

    private static void Number(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue(); // JSON has no NaN: Plotly treats null as a gap
    }

    private static void Numbers(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) Number(w, v);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null) return;
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
