using System.Globalization;
using System.Xml.Linq;
using HarmoniousFeedback.Plotting;
using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

public class FigureStackTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The plot-area clip rectangle (x, width) of each panel.</summary>
    internal static (double X, double Width)[] PlotAreas(XDocument d) => d.Descendants(Svg + "clipPath")
        .Select(c => c.Element(Svg + "rect")!)
        .Select(r => (double.Parse((string)r.Attribute("x")!, CultureInfo.InvariantCulture), double.Parse((string)r.Attribute("width")!, CultureInfo.InvariantCulture)))
        .ToArray();

    [Fact]
    public void Stacked_panels_share_their_plot_area_columns_and_keep_their_ids_unique()
    {
        // panel 1: a heatmap with a colour bar and long y tick labels; panel 2: lines with the legend outside on the right;
        // alone they would put their plot areas at different x and widths
        var heat = new Figure(700, 260) { Title = "heat" };
        heat.AddHeatmap(new HeatmapSeries(new double[,] { { 1, 2 }, { 3, 4 } }) { Extent = new Extent(0, 10, 0, 100000) });
        var lines = new Figure(700, 220) { Title = "lines", Legend = LegendPosition.OutsideRight };
        lines.AddLine([0, 10], [0, 1], "a rather long legend entry");
        var alone = new[] { heat, lines }.Select(f => PlotAreas(XDocument.Parse(f.ToSvg())).Single()).ToArray();
        Assert.NotEqual(alone[0], alone[1]); // the test would prove nothing if they already agreed

        var stack = new FigureStack([heat, lines]) { Title = "both" };
        var d = XDocument.Parse(stack.ToSvg());
        var areas = PlotAreas(d);
        Assert.Equal(2, areas.Length);
        Assert.Equal(areas[0], areas[1]);
        Assert.Equal(Math.Max(alone[0].X, alone[1].X), areas[0].X);   // the wider left margin of the two
        Assert.Equal((700, 16 + 15 + 260 + 220), (stack.Width, stack.Height));   // title band = title size 15 + 16
        var ids = d.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        foreach (var use in d.Descendants().Select(e => (string?)e.Attribute("clip-path")).OfType<string>())
            Assert.Contains(use["url(#".Length..^1], ids);   // every clip-path points at a clip of the document
        Assert.Equal(stack.ToSvg(), stack.ToSvg()); // deterministic
    }

    [Fact]
    public void A_stack_needs_at_least_one_panel_and_one_width()
    {
        Assert.Throws<FigureException>(() => new FigureStack([]));
        var e = Assert.Throws<FigureException>(() => new FigureStack([new Figure(600, 200), new Figure(700, 200)]));
        Assert.Contains("600, 700", e.Message);
    }
}
