using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Registry entry <c>majority</c>: the majority-class baseline (sklearn <c>DummyClassifier(strategy="prior")</c>) — it
/// predicts the most frequent training class for every row (ties: the first in ordinal order) and the training class
/// frequencies as scores. It reads a feature view only to count rows; any vector or sequence view will do.
/// </summary>
public sealed class MajorityModelKind : ModelKind<MajorityOptions>
{
    public override string Name => "majority";
    public override string Summary => "majority-class baseline: the most frequent training class for every clip, priors as scores (sklearn DummyClassifier, strategy=\"prior\")";

    protected override MajorityOptions ReadOptions(ParameterReader p) => new();

    protected override void Validate(MajorityOptions options) { }

    protected override ModelInputs Inputs(MajorityOptions options) => new(["mfcc"], [ColumnType.Vector(), ColumnType.Sequence(0)]);

    protected override IEstimator<ITransformer> CreateTrainer(MajorityOptions options, TrainerSetup setup) =>
        new MajorityTrainer(new MulticlassColumns(setup.Inputs[0].Column, setup.LabelColumn));
}
