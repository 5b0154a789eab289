using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// An ML.NET trainer as a toolkit pipeline trainer (<c>HfContext</c> chains, <see cref="MulticlassTrainerBase"/>):
/// fixed-size vector features (e.g. pooled LLD) and a string label in, <c>Score</c>/<c>PredictedLabel</c> out, the
/// trained <see cref="MlNetMulticlassModel"/> saveable in the toolkit's model format. The experiment registry's
/// <c>mlnet-lightgbm</c>, <c>mlnet-sdca</c> and <c>mlnet-fasttree</c> entries are this trainer with the matching options.
/// </summary>
public sealed class MlNetMulticlassTrainer : MulticlassTrainerBase
{
    public MlNetMulticlassTrainer(MlNetTrainerOptions options, MulticlassColumns? columns = null) : base(columns ?? new MulticlassColumns())
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    public MlNetTrainerOptions Options { get; }

    protected override IReadOnlyList<ColumnType> AcceptedFeatureTypes { get; } = [ColumnType.Vector()];

    protected override IMulticlassModel Train(object[] x, int[] y, string[] classes)
        => MlNetClassifier.Train(x.Select(v => (float[])v).ToArray(), y, classes, Options);
}
