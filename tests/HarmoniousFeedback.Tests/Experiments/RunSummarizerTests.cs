using System.Xml.Linq;
using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Plotting;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class RunSummarizerTests
{
    private static UnitResult Unit(string model, int fold, params (double Train, double Val)[] curve) => new()
    {
        Scheme = "cv", Model = model, Repeat = 0, Fold = fold, TrainCount = 10, Classes = ["a"], Predictions = [],
        Curve = curve.Select((p, e) => new EpochPoint(e, p.Train, p.Val, null)).ToList(),
    };

    private static IEnumerable<XElement> ByClass(XDocument d, string cls) => d.Descendants().Where(e => (string?)e.Attribute("class") == cls);

    [Fact]
    public void Training_curves_give_each_model_one_colour_solid_train_dashed_validation_bands_and_its_stop_epoch()
    {
        // Model A: two folds, the second stopped early after 2 of 3 epochs. Model B: one fold.
        var byModel = new Dictionary<string, IReadOnlyList<UnitResult>>
        {
            ["A"] = [Unit("A", 0, (1.0, 1.2), (0.8, 1.0), (0.6, 0.9)), Unit("A", 1, (1.2, 1.4), (1.0, 1.2))],
            ["B"] = [Unit("B", 0, (2.0, 2.5), (1.5, 2.0), (1.0, 1.8))],
        };

        var fig = RunSummarizer.TrainingCurves(byModel)!;
        var d = XDocument.Parse(fig.ToSvg());

        var lines = ByClass(d, "line").ToList();
        Assert.Equal(4, lines.Count); // train + validation of A and B
        var aColour = (string)lines[0].Attribute("stroke")!;
        var bColour = (string)lines[2].Attribute("stroke")!;
        Assert.NotEqual(aColour, bColour);
        Assert.Equal(aColour, (string)lines[1].Attribute("stroke")!); // A's validation: A's colour, dashed
        Assert.Null(lines[0].Attribute("stroke-dasharray"));
        Assert.NotNull(lines[1].Attribute("stroke-dasharray"));
        // Mean over the units still training: A's train loss at epoch 1 is (1.0 + 1.2) / 2 = 1.1 and at epoch 3 only fold 0's 0.6.
        var a = (LineSeries)fig.Series.First(s => s is LineSeries { Name: "A" });
        Assert.Equal([1.1, 0.9, 0.6], a.Y.Select(v => Math.Round(v, 12)));
        // Bands only where there are ≥ 2 units (A); B has one unit and no band.
        Assert.All(ByClass(d, "band"), b => Assert.Equal(aColour, (string)b.Attribute("fill")!));
        Assert.Equal(2, ByClass(d, "band").Count());
        // A's folds stopped after 3 and 2 epochs: a vertical line in A's colour at the lower median stop epoch, 2.
        var stop = ByClass(d, "reference").Single();
        Assert.Equal(aColour, (string)stop.Attribute("stroke")!);
        // Legend: the models once each, then the two line styles.
        Assert.Equal(["A", "B", "train", "validation"], ByClass(d, "legend-entry").Select(e => e.Value));
    }

    [Fact]
    public void Training_curves_are_null_when_no_model_has_a_curve()
    {
        var byModel = new Dictionary<string, IReadOnlyList<UnitResult>> { ["LDA"] = [Unit("LDA", 0)] };
        Assert.Null(RunSummarizer.TrainingCurves(byModel));
    }
}
