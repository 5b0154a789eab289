using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.Tests.Pipeline;

public sealed class CentroidTrainer(MulticlassColumns columns) : MulticlassTrainerBase(columns)
{
    protected override IReadOnlyList<ColumnType> AcceptedFeatureTypes { get; } = [ColumnType.Vector()];

    protected override IMulticlassModel Train(object[] x, int[] y, string[] classes)
    {
        int d = ((float[])x[0]).Length;
        var c = classes.Select(_ => new float[d]).ToArray();
        var n = new int[classes.Length];
        for (int i = 0; i < x.Length; i++) { n[y[i]]++; for (int j = 0; j < d; j++) c[y[i]][j] += ((float[])x[i])[j]; }
        for (int k = 0; k < c.Length; k++) for (int j = 0; j < d; j++) c[k][j] /= n[k];
        return new CentroidModel(classes, c);
    }
}
