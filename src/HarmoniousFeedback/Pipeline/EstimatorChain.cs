namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// Estimators applied in order (ML.NET's <c>EstimatorChain</c>): fitting fits each on the output of the previous
/// fitted steps. The whole chain's schema is checked first, so a missing or mistyped column fails before any work.
/// </summary>
public sealed class EstimatorChain<TLast> : IEstimator<TransformerChain<TLast>> where TLast : class, ITransformer
{
    private readonly IReadOnlyList<IEstimator<ITransformer>> _estimators;

    internal EstimatorChain(IReadOnlyList<IEstimator<ITransformer>> estimators) => _estimators = estimators;

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    public EstimatorChain<TNew> Append<TNew>(IEstimator<TNew> estimator) where TNew : class, ITransformer
        => new([.. _estimators, estimator]);

    public Schema GetOutputSchema(Schema input)
    {
        var s = input;
        foreach (var e in _estimators) s = e.GetOutputSchema(s);
        return s;
    }

    public TransformerChain<TLast> Fit(DataTable input)
    {
        GetOutputSchema(input.Schema); // fail before any work
        var fitted = new List<ITransformer>(_estimators.Count);
        var data = input;
        for (int i = 0; i < _estimators.Count; i++)
        {
            var t = _estimators[i].Fit(data);
            fitted.Add(t);
            if (i < _estimators.Count - 1) data = t.Transform(data);
        }
        return new TransformerChain<TLast>(fitted);
    }
}
