using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Base of the registered classical classifiers: one vector view (used as is) or one sequence view (pooled over time
/// into per-feature mean and population standard deviation, <see cref="PoolSequenceTransformer"/>), standardised on the
/// training rows, then <see cref="Fit"/>. By default they read the LLD segments, pooled.
/// </summary>
public abstract class ClassicalModelKind<TOptions> : ModelKind<TOptions> where TOptions : class
{
    /// <summary>Name of the pooled column a sequence view becomes.</summary>
    public const string PooledColumn = "Pooled";

    /// <summary>Fits the classifier on standardised rows [n × d] and class indices.</summary>
    protected abstract IClassicalClassifier Fit(double[][] x, int[] y, TOptions options);

    protected override ModelInputs Inputs(TOptions options) => new(["lld"], [ColumnType.Vector(), ColumnType.Sequence(0)]);

    protected override IEstimator<ITransformer> CreateTrainer(TOptions options, TrainerSetup setup)
    {
        var input = setup.Inputs[0];
        if (input.Type is SequenceType)
        {
            var trainer = new ClassicalTrainer(new MulticlassColumns(PooledColumn, setup.LabelColumn), (x, y) => Fit(x, y, options));
            return new TrivialEstimator<PoolSequenceTransformer>(new PoolSequenceTransformer(PooledColumn, input.Column)).Append(trainer);
        }
        return new ClassicalTrainer(new MulticlassColumns(input.Column, setup.LabelColumn), (x, y) => Fit(x, y, options));
    }
}
