using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class MinMaxNormalizerTests
{
    private static FeatureMatrix M(params float[][] rows) => new(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length,
        Enumerable.Range(0, rows[0].Length).Select(i => "c" + i).ToArray(), new double[rows.Length]);

    [Fact]
    public void Fit_on_training_only_constant_columns_zero_and_test_clipped()
    {
        var train = new[] { M([0f, 5f, 1f], [10f, 5f, 3f]), M([5f, 5f, 2f]) };
        var n = MinMaxNormalizer.Fit(train);
        Assert.Equal(new[] { 0f, 5f, 1f }, n.Min); Assert.Equal(new[] { 10f, 5f, 3f }, n.Max);
        var t = n.Transform(M([5f, 7f, 4f], [-10f, 5f, 2f]));
        Assert.Equal(new[] { 0.5f, 0f, 1f, 0f, 0f, 0.5f }, t.Data); // 4 → clipped to 1, −10 → 0, constant column → 0
        var unclipped = MinMaxNormalizer.Fit(train, clipToUnitRange: false).Transform(M([20f, 5f, 4f]));
        Assert.Equal(new[] { 2f, 0f, 1.5f }, unclipped.Data);
    }

    [Fact]
    public void Mismatched_columns_and_non_finite_values_are_rejected()
    {
        var n = MinMaxNormalizer.Fit([M([0f, 1f])]);
        Assert.Throws<SchemaMismatchException>(() => n.Transform(M([0f, 1f, 2f])));
        Assert.Throws<SchemaMismatchException>(() => MinMaxNormalizer.Fit([M([0f, 1f]), M([0f, 1f, 2f])]));
        Assert.Throws<InvalidSignalException>(() => MinMaxNormalizer.Fit([M([float.NaN, 1f])]));
        Assert.Throws<SchemaMismatchException>(() => MinMaxNormalizer.Fit([]));
    }
}
