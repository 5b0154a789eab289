using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// Base of the registered ML.NET baselines (<c>mlnet-lightgbm</c>, <c>mlnet-sdca</c>, <c>mlnet-fasttree</c>): one vector
/// view as is, or one sequence view pooled over time (per-feature mean and population std, as the classical models),
/// trained by <see cref="MlNetMulticlassTrainer"/> with the unit's seed on one thread (ML.NET's trainers are
/// reproducible only single-threaded). By default they read the LLD segments, pooled.
/// </summary>
public abstract class MlNetModelKind<TOptions> : ModelKind<TOptions> where TOptions : MlNetTrainerOptions
{
    protected override void Validate(TOptions options) => options.Validate();

    protected override ModelInputs Inputs(TOptions options) => new(["lld"], [ColumnType.Vector(), ColumnType.Sequence(0)]);

    protected override IEstimator<ITransformer> CreateTrainer(TOptions options, TrainerSetup setup)
    {
        var input = setup.Inputs[0];
        var seeded = options with { Seed = setup.Seed };
        if (input.Type is SequenceType)
            return new TrivialEstimator<PoolSequenceTransformer>(new PoolSequenceTransformer(ClassicalModelKind<TOptions>.PooledColumn, input.Column))
                .Append(new MlNetMulticlassTrainer(seeded, new MulticlassColumns(ClassicalModelKind<TOptions>.PooledColumn, setup.LabelColumn)));
        return new MlNetMulticlassTrainer(seeded, new MulticlassColumns(input.Column, setup.LabelColumn));
    }
}
