using HarmoniousFeedback.Plotting;
using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

public class FigureEdgeAndPlotlyTests
{
    [Fact]
    public void Edge_cases_render()
    {
        System.Xml.Linq.XDocument.Parse(new Figure().ToSvg()); // no series: empty axes 0..1
        var single = new Figure(); single.AddHeatmap(new HeatmapSeries(new double[,] { { 3 } }));
        System.Xml.Linq.XDocument.Parse(single.ToSvg());        // one cell, constant colour range
        var neg = new Figure(); neg.XAxis.Categories = ["a", "b"]; neg.AddBars([-2.0, 3]);
        var yTicks = System.Xml.Linq.XDocument.Parse(neg.ToSvg()).Descendants().Single(e => (string?)e.Attribute("class") == "y-ticks").Elements().Select(e => e.Value).ToArray();
        Assert.Contains("0", yTicks);
        Assert.Equal("-2", yTicks[0]);
    }

    [Fact]
    public void Plotly_json_has_one_trace_per_series_and_the_layout()
    {
        foreach (var (name, f) in FigureGallery.All())
        {
            using var doc = System.Text.Json.JsonDocument.Parse(f.ToPlotlyJson());
            var data = doc.RootElement.GetProperty("data");
            int traces = f.Series.Count(s => s is not ReferenceLine and not TextAnnotation);
            Assert.Equal(traces, data.GetArrayLength());
            Assert.Equal(f.Title, doc.RootElement.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
            if (name == "bars")
            {
                Assert.Equal("bar", data[0].GetProperty("type").GetString());
                Assert.Equal(4, data[0].GetProperty("error_y").GetProperty("array").GetArrayLength());
            }
            if (name == "line") Assert.Equal("log", doc.RootElement.GetProperty("layout").GetProperty("yaxis").GetProperty("type").GetString());
            if (name == "scatter") Assert.Equal(2, doc.RootElement.GetProperty("layout").GetProperty("shapes").GetArrayLength());
            if (name == "confusion") Assert.Equal(4, data[0].GetProperty("z").GetArrayLength());
        }
    }
}
