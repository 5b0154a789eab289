namespace HarmoniousFeedback.Pipeline;

public static class EstimatorExtensions
{
    /// <summary>Starts a chain: <c>a.Append(b)</c> fits a, transforms, then fits b (ML.NET's <c>Append</c>).</summary>
    public static EstimatorChain<TNew> Append<TNew>(this IEstimator<ITransformer> first, IEstimator<TNew> next) where TNew : class, ITransformer
        => first is EstimatorChain<ITransformer> chain ? chain.Append(next) : new EstimatorChain<TNew>([first, next]);
}
