using HarmoniousFeedback.Models.Classical;

namespace HarmoniousFeedback.Cli.Tests.ToyModel;

/// <summary>The fitted toy classifier: one centroid per class; saves and loads itself like the built-in classifiers.</summary>
public sealed class NearestCentroid : IClassicalClassifier
{
    private NearestCentroid(int[] classes, double[][] centroids, CentroidMetric metric)
    {
        Classes = classes;
        Centroids = centroids;
        Metric = metric;
    }

    public IReadOnlyList<int> Classes { get; }
    public double[][] Centroids { get; }
    public CentroidMetric Metric { get; }
    public int NumFeatures => Centroids[0].Length;

    public static NearestCentroid Fit(double[][] x, int[] y, CentroidMetric metric)
    {
        var classes = y.Distinct().Order().ToArray();
        var centroids = classes.Select(c =>
        {
            var rows = x.Where((_, i) => y[i] == c).ToArray();
            return Enumerable.Range(0, x[0].Length).Select(j => rows.Average(r => r[j])).ToArray();
        }).ToArray();
        return new NearestCentroid(classes, centroids, metric);
    }

    public int[] Predict(double[][] x) => x.Select(r =>
    {
        int best = 0;
        double bestD = double.PositiveInfinity;
        for (int k = 0; k < Centroids.Length; k++)
        {
            double d = 0;
            for (int j = 0; j < r.Length; j++) d += Metric == CentroidMetric.Manhattan ? Math.Abs(r[j] - Centroids[k][j]) : (r[j] - Centroids[k][j]) * (r[j] - Centroids[k][j]);
            if (d < bestD) { bestD = d; best = k; }
        }
        return Classes[best];
    }).ToArray();

    public void Save(BinaryWriter writer)
    {
        writer.Write((int)Metric);
        writer.Write(Classes.Count);
        foreach (var c in Classes) writer.Write(c);
        writer.Write(NumFeatures);
        foreach (var row in Centroids) foreach (var v in row) writer.Write(v);
    }

    public static NearestCentroid Load(BinaryReader reader)
    {
        var metric = (CentroidMetric)reader.ReadInt32();
        var classes = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadInt32()).ToArray();
        int d = reader.ReadInt32();
        var centroids = classes.Select(_ => Enumerable.Range(0, d).Select(_ => reader.ReadDouble()).ToArray()).ToArray();
        return new NearestCentroid(classes, centroids, metric);
    }
}
