namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>Fits the <see cref="MajorityClassifier"/>: class frequencies of the training rows.</summary>
public sealed class MajorityTrainer(MulticlassColumns columns) : MulticlassTrainerBase(columns)
{
    protected override IReadOnlyList<ColumnType> AcceptedFeatureTypes { get; } = [ColumnType.Vector(), ColumnType.Sequence(0)];

    protected override IMulticlassModel Train(object[] x, int[] y, string[] classes)
    {
        var p = new float[classes.Length];
        foreach (var c in y) p[c]++;
        for (int k = 0; k < p.Length; k++) p[k] /= y.Length;
        return new MajorityClassifier(classes, p);
    }
}
