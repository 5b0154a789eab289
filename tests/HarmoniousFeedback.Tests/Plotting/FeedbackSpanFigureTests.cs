using System.Globalization;
using System.Xml.Linq;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Plotting;
using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

public class FeedbackSpanFigureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // 300 frames of 10 ms (3 s) × 16 bands, values = band index / 15 (a ramp the raster must carry).
    private static FeatureMatrix Map(int frames = 300, int bands = 16)
    {
        var data = new float[frames * bands];
        for (int t = 0; t < frames; t++) for (int m = 0; m < bands; m++) data[t * bands + m] = m / (float)(bands - 1);
        return new FeatureMatrix(data, frames, bands, Enumerable.Range(0, bands).Select(m => $"mel_{m}").ToArray(),
            Enumerable.Range(0, frames).Select(t => t * 0.01).ToArray());
    }

    private static IEnumerable<XElement> Lines(XDocument d) => d.Descendants(Svg + "polyline").Where(e => (string?)e.Attribute("class") == "line");

    [Fact]
    public void Create_draws_the_map_one_bar_per_span_solid_for_planted_and_dashed_for_predicted()
    {
        FeedbackSpan[] planted = [new(1, 0.5, 1.5, 0.8), new(3, 2.0, 2.6, 0.5, Localised: true)];
        FeedbackSpan[] predicted = [new(1, 0.6, 1.4, 0.7)];
        var d = XDocument.Parse(FeedbackSpanFigure.Create(Map(), planted, predicted, "attention", "A").ToSvg());

        Assert.Single(d.Descendants(Svg + "image"), e => (string?)e.Attribute("class") == "heatmap-raster");
        var lines = Lines(d).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(1, lines.Count(l => l.Attribute("stroke-dasharray") is not null));
        // One colour per dimension (Okabe–Ito by dimension index): the planted and the predicted rhythm bar share it.
        Assert.Equal(Palette.Categorical(1), (string?)lines[0].Attribute("stroke"));
        Assert.Equal(Palette.Categorical(3), (string?)lines[1].Attribute("stroke"));
        Assert.Equal(Palette.Categorical(1), (string?)lines[2].Attribute("stroke"));
        // The legend names each dimension present once.
        var legend = d.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "legend-entry").Select(t => t.Value).ToList();
        Assert.Equal(["rhythm", "dynamics"], legend);
        Assert.Contains(d.Descendants(Svg + "text"), t => t.Value.Contains("planted (solid)") && t.Value.Contains("predicted (dashed)"));
    }

    [Fact]
    public void Create_places_the_planted_lane_above_the_predicted_lane_and_both_above_the_map()
    {
        var d = XDocument.Parse(FeedbackSpanFigure.Create(Map(), [new(0, 0.2, 0.9, 0.6)], [new(0, 0.2, 0.9, 0.6)]).ToSvg());
        static double Y(XElement polyline) => double.Parse(polyline.Attribute("points")!.Value.Split(' ', ',')[1], CultureInfo.InvariantCulture);
        var lines = Lines(d).ToList();
        var image = d.Descendants(Svg + "image").Single();
        double mapTop = double.Parse(image.Attribute("y")!.Value, CultureInfo.InvariantCulture);
        // SVG y grows downwards: planted (1.22·M) is above predicted (1.08·M), which is above the map's top edge (M).
        Assert.True(Y(lines[0]) < Y(lines[1]), $"planted at y={Y(lines[0])}, predicted at y={Y(lines[1])}");
        Assert.True(Y(lines[1]) < mapTop, $"predicted at y={Y(lines[1])}, map top at y={mapTop}");
    }

    [Fact]
    public void Create_draws_each_dimension_in_its_own_row_so_overlapping_spans_stay_visible()
    {
        // A whole-clip articulation deviation over a local pitch one (the case of a corpus rendition with two plants).
        var d = XDocument.Parse(FeedbackSpanFigure.Create(Map(), [new(0, 0.2, 1.6, 0.6), new(4, 0.0, 3.0, 1.0, Localised: false)], []).ToSvg());
        static double Y(XElement polyline) => double.Parse(polyline.Attribute("points")!.Value.Split(' ', ',')[1], CultureInfo.InvariantCulture);
        var lines = Lines(d).ToList();
        Assert.Equal(2, lines.Count);
        Assert.True(Y(lines[1]) < Y(lines[0]) - 4, $"articulation at y={Y(lines[1])}, pitch at y={Y(lines[0])}: rows must be apart by more than the 4 px stroke");
    }

    [Fact]
    public void Create_rejects_a_span_outside_the_map_an_unknown_dimension_and_frame_times_that_do_not_increase()
    {
        var outside = Assert.Throws<FigureException>(() => FeedbackSpanFigure.Create(Map(), [new(0, 4.0, 5.0, 0.5)], []));
        Assert.Contains("lies outside the map's 0–3 s", outside.Message);
        var dimension = Assert.Throws<FigureException>(() => FeedbackSpanFigure.Create(Map(), [], [new(6, 0.1, 0.5, 0.5)]));
        Assert.Contains("span dimension 6 is not one of the 6 feedback dimensions", dimension.Message);
        var still = new FeatureMatrix(new float[4], 2, 2, ["a", "b"], [0.5, 0.5]);
        Assert.Contains("frame times must increase (hop 0 s)", Assert.Throws<FigureException>(() => FeedbackSpanFigure.Create(still, [], [])).Message);
    }
}
