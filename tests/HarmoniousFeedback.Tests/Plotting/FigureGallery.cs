using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Plotting;

namespace HarmoniousFeedback.Tests.Plotting;

/// <summary>One deterministic example of each figure kind, from synthetic data; used by the tests and for docs/figures.</summary>
internal static class FigureGallery
{
    public static readonly string[] Classes = ["happy", "sad", "angry", "calm"];

    /// <summary>Training curves: train and validation loss over 40 epochs on a log axis.</summary>
    public static Figure TrainingCurves()
    {
        var rng = new DeterministicRandom(1);
        var epochs = Enumerable.Range(1, 40).Select(e => (double)e).ToArray();
        var train = epochs.Select(e => 1.4 * Math.Exp(-e / 9) + 0.05 + 0.02 * rng.NextDouble()).ToArray();
        var val = epochs.Select(e => 1.4 * Math.Exp(-e / 11) + 0.18 + 0.004 * Math.Max(0, e - 25) + 0.04 * rng.NextDouble()).ToArray();
        var f = new Figure(640, 400) { Title = "Training curves" };
        f.XAxis.Label = "Epoch";
        f.YAxis.Label = "Cross-entropy loss";
        f.YAxis.Scale = AxisScale.Log;
        f.AddLine(epochs, train, "train");
        f.AddLine(epochs, val, "validation").Dashed = true;
        return f;
    }

    /// <summary>Grouped bars: per-class recognition rate (%) of three models with ± std error bars.</summary>
    public static Figure GroupedBars()
    {
        var f = new Figure(640, 400) { Title = "Per-class recognition rate" };
        f.XAxis.Categories = Classes;
        f.XAxis.Label = "Emotion class";
        f.YAxis.Label = "Recognition rate (%)";
        f.YAxis.Min = 0; f.YAxis.Max = 100;
        f.AddBars([72.5, 64.0, 81.2, 58.8], [4.1, 5.3, 3.2, 6.0], "SVM");
        f.AddBars([78.1, 70.4, 84.0, 66.3], [3.5, 4.8, 2.9, 5.1], "LSTM+AM");
        f.AddBars([83.6, 75.2, 88.9, 71.7], [3.0, 4.1, 2.2, 4.4], "HFN");
        f.Legend = LegendPosition.OutsideRight;
        return f;
    }

    /// <summary>Synthetic predictions of a fairly good 4-class model (for the confusion heatmap).</summary>
    public static IReadOnlyList<Prediction> Predictions()
    {
        var rng = new DeterministicRandom(2);
        var list = new List<Prediction>();
        for (int i = 0; i < 240; i++)
        {
            string t = Classes[i % 4];
            // confusions between the two low-arousal and the two negative classes are the likely ones
            string p = rng.NextDouble() < 0.75 ? t : (i % 4) switch { 0 => "calm", 1 => rng.NextDouble() < 0.6 ? "calm" : "angry", 2 => "sad", _ => Classes[rng.NextInt(4)] };
            list.Add(new Prediction("clip" + i, i % 5, 0, t, p));
        }
        return list;
    }

    /// <summary>Annotated confusion-matrix heatmap.</summary>
    public static Figure Confusion() => ConfusionMatrix.From(Predictions(), Classes).ToFigure("Confusion matrix (row %)");

    /// <summary>A synthetic spectrogram (gliding harmonic tone in noise, dB) drawn as an embedded PNG raster.</summary>
    public static Figure Spectrogram()
    {
        int bins = 128, frames = 300;
        var v = new double[bins, frames];
        for (int t = 0; t < frames; t++)
        {
            double f0 = 8 + 10 * (1 + Math.Sin(2 * Math.PI * t / frames)); // in bins
            for (int b = 0; b < bins; b++)
            {
                double e = 1e-6 * (1 + 0.6 * Math.Sin(b / 9.0) * Math.Cos(t / 23.0)); // smooth noise floor (keeps the PNG small)
                for (int h = 1; h <= 6; h++) e += Math.Exp(-Math.Pow(b - h * f0, 2) / 2) / (h * h);
                v[b, t] = Math.Max(-80, 10 * Math.Log10(e));
            }
        }
        var f = new Figure(680, 360) { Title = "Spectrogram" };
        f.XAxis.Label = "Time (s)";
        f.YAxis.Label = "Frequency (Hz)";
        f.AddHeatmap(new HeatmapSeries(v) { Extent = new Extent(0, 3, 0, 8000), Origin = HeatmapOrigin.Bottom, ColorBarLabel = "dB", Min = -80, Max = 0 });
        return f;
    }

    /// <summary>Valence/arousal scatter with per-class colours and shapes, quadrant lines and quadrant names.</summary>
    public static Figure ValenceArousal()
    {
        var rng = new DeterministicRandom(4);
        var x = new List<double>(); var y = new List<double>(); var c = new List<string>();
        (double V, double A)[] centres = [(0.5, 0.45), (-0.5, -0.4), (-0.45, 0.5), (0.45, -0.45)];
        for (int i = 0; i < 160; i++)
        {
            int k = i % 4;
            x.Add(Math.Clamp(centres[k].V + 0.22 * Gauss(rng), -1, 1));
            y.Add(Math.Clamp(centres[k].A + 0.22 * Gauss(rng), -1, 1));
            c.Add(Classes[k]);
        }
        var f = new Figure(520, 480) { Title = "Valence–arousal plane" };
        f.XAxis.Label = "Valence"; f.YAxis.Label = "Arousal";
        f.XAxis.Min = -1; f.XAxis.Max = 1; f.YAxis.Min = -1; f.YAxis.Max = 1;
        f.AddQuadrantLines();
        f.AddScatterByClass(x, y, c);
        f.Legend = LegendPosition.OutsideRight;
        return f;
    }

    public static (string Name, Figure Figure)[] All() =>
    [
        ("line", TrainingCurves()), ("bars", GroupedBars()), ("confusion", Confusion()), ("spectrogram", Spectrogram()), ("scatter", ValenceArousal()),
    ];

    private static double Gauss(DeterministicRandom r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
