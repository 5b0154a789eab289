namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// A trainable step (ML.NET's <c>IEstimator&lt;TTransformer&gt;</c>): <see cref="Fit"/> learns from a table (eagerly) and
/// returns the transformer. <see cref="GetOutputSchema"/> lets a whole chain be checked before any work is done.
/// </summary>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    Schema GetOutputSchema(Schema input);

    TTransformer Fit(DataTable input);
}
