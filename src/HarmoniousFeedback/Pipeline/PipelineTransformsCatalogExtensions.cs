namespace HarmoniousFeedback.Pipeline;

public static class PipelineTransformsCatalogExtensions
{
    /// <summary>Concatenates float and fixed-size vector columns into <paramref name="outputColumn"/>.</summary>
    public static TrivialEstimator<ConcatenateTransformer> Concatenate(this TransformsCatalog catalog, string outputColumn, params string[] inputColumns)
        => new(new ConcatenateTransformer(outputColumn, inputColumns));

    /// <summary>Pools a sequence column over time (mean/std/min/max) into a vector column.</summary>
    public static TrivialEstimator<PoolSequenceTransformer> PoolSequence(this TransformsCatalog catalog, string outputColumn, string inputColumn, SequencePooling pooling = SequencePooling.MeanStd)
        => new(new PoolSequenceTransformer(outputColumn, inputColumn, pooling));
}
