using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.Tests.Pipeline;

/// <summary>A minimal nearest-centroid model used to exercise the trainer base and prediction transformer.</summary>
public sealed class CentroidModel : IMulticlassModel
{
    public CentroidModel(string[] classes, float[][] centroids) { Classes = classes; Centroids = centroids; }
    public IReadOnlyList<string> Classes { get; }
    public float[][] Centroids { get; }

    public void PredictProbabilities(object input, Span<float> p)
    {
        var x = (float[])input;
        double sum = 0;
        for (int k = 0; k < Centroids.Length; k++)
        {
            double d = 0;
            for (int j = 0; j < x.Length; j++) d += (x[j] - Centroids[k][j]) * (x[j] - Centroids[k][j]);
            p[k] = (float)Math.Exp(-d);
            sum += p[k];
        }
        for (int k = 0; k < p.Length; k++) p[k] = (float)(p[k] / sum);
    }

    public void Save(ModelWriter w)
    {
        w.Write(Classes);
        w.Write(Centroids.Length);
        foreach (var c in Centroids) w.Write(c);
    }

    public static CentroidModel Load(ModelReader r)
    {
        var classes = r.ReadStringArray();
        var n = r.ReadInt32();
        return new CentroidModel(classes, Enumerable.Range(0, n).Select(_ => r.ReadSingleArray()).ToArray());
    }
}
