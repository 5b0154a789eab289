using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>
/// Min–max normalisation to [0, 1] of a sequence or fixed-size vector column, fitted on the table given to
/// <see cref="Fit"/> (the training fold) only and applied unchanged to any later table — the piano-emotion method's
/// normalisation. Per feature j: <c>y = (x − min_j)/(max_j − min_j)</c>, constant features → 0; values outside the
/// fitted range are clipped to [0, 1] unless <c>clip</c> is false (<see cref="MinMaxNormalizer"/>).
/// </summary>
public sealed class MinMaxNormalizeEstimator(string outputColumn, string inputColumn, bool clip = true) : IEstimator<MinMaxNormalizeTransformer>
{
    private static readonly ColumnType[] Accepted = [ColumnType.Sequence(0), ColumnType.Vector()];

    public Schema GetOutputSchema(Schema input)
    {
        var c = input.RequireAny($"MinMaxNormalize('{outputColumn}')", inputColumn, Accepted);
        if (c.Type is VectorType { Size: null })
            throw new SchemaMismatchException($"MinMaxNormalize('{outputColumn}'): column '{inputColumn}' is a variable-size vector; normalisation needs a fixed number of features");
        return input.With(c with { Name = outputColumn });
    }

    public MinMaxNormalizeTransformer Fit(DataTable input)
    {
        GetOutputSchema(input.Schema);
        var normalizer = MinMaxNormalizer.Fit(MinMaxNormalizeTransformer.AsMatrices(input, inputColumn), clip);
        return new MinMaxNormalizeTransformer(outputColumn, inputColumn, normalizer);
    }
}
