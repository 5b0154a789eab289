namespace HarmoniousFeedback.Pipeline;

/// <summary>An estimator for a transformer that needs no training: <see cref="Fit"/> checks the schema and returns it.</summary>
public sealed class TrivialEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : ITransformer
{
    private readonly TTransformer _transformer;
    public TrivialEstimator(TTransformer transformer) => _transformer = transformer;
    public Schema GetOutputSchema(Schema input) => _transformer.GetOutputSchema(input);

    public TTransformer Fit(DataTable input)
    {
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }
}
