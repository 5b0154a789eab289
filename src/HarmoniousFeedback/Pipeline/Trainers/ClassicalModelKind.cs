using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Base of the registered classical classifiers: one vector view (used as is) or one sequence view (pooled over time
/// into per-feature mean and population standard deviation, <see cref="PoolSequenceTransformer"/>), standardised on the
/// training rows, then <see cref="Fit"/>. By default they read the LLD segments, pooled. Several views
/// (<c>"views": ["score-clip", "performance-clip", "mfcc"]</c>) are each pooled when they are sequences and concatenated
/// in the given order (<see cref="ConcatenateTransformer"/>) — early fusion for a classical model.
/// </summary>
public abstract class ClassicalModelKind<TOptions> : ModelKind<TOptions> where TOptions : class
{
    /// <summary>Name of the pooled column a sequence view becomes.</summary>
    public const string PooledColumn = "Pooled";

    /// <summary>Fits the classifier on standardised rows [n × d] and class indices.</summary>
    protected abstract IClassicalClassifier Fit(double[][] x, int[] y, TOptions options);

    /// <summary>Name of the concatenated column several views become.</summary>
    public const string ConcatenatedColumn = "Concatenated";

    /// <summary>Most views a classical model concatenates.</summary>
    public const int MaxViews = 8;

    protected override ModelInputs Inputs(TOptions options) => new(["lld"], [ColumnType.Vector(), ColumnType.Sequence(0)], maxCount: MaxViews);

    protected override IEstimator<ITransformer> CreateTrainer(TOptions options, TrainerSetup setup)
    {
        if (setup.Inputs.Count > 1)
        {
            IEstimator<ITransformer>? chain = null;
            var columns = new List<string>();
            foreach (var i in setup.Inputs)
            {
                if (i.Type is SequenceType)
                {
                    var pooled = $"{PooledColumn}.{i.Column}";
                    var pool = new TrivialEstimator<PoolSequenceTransformer>(new PoolSequenceTransformer(pooled, i.Column));
                    chain = chain is null ? pool : chain.Append(pool);
                    columns.Add(pooled);
                }
                else columns.Add(i.Column);
            }
            var concat = new TrivialEstimator<ConcatenateTransformer>(new ConcatenateTransformer(ConcatenatedColumn, [.. columns]));
            var fit = new ClassicalTrainer(new MulticlassColumns(ConcatenatedColumn, setup.LabelColumn), (x, y) => Fit(x, y, options));
            IEstimator<ITransformer> features = chain is null ? concat : chain.Append(concat);
            return features.Append(fit);
        }
        var input = setup.Inputs[0];
        if (input.Type is SequenceType)
        {
            var trainer = new ClassicalTrainer(new MulticlassColumns(PooledColumn, setup.LabelColumn), (x, y) => Fit(x, y, options));
            return new TrivialEstimator<PoolSequenceTransformer>(new PoolSequenceTransformer(PooledColumn, input.Column)).Append(trainer);
        }
        return new ClassicalTrainer(new MulticlassColumns(input.Column, setup.LabelColumn), (x, y) => Fit(x, y, options));
    }
}
