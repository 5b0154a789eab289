using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class NoteComparisonScalerTests
{
    [Fact]
    public void Fit_standardises_each_measure_to_the_training_mean_and_population_std()
    {
        var s = new NoteComparisonScaler(2);
        s.Fit([[1f, 10f], [3f, 10f], [5f, 10f]]);
        Assert.Equal(3f, s.Mean.Data[0]);
        Assert.Equal(1 / MathF.Sqrt(8f / 3), s.Scale.Data[0], 1e-6f);
        var y = new float[2];
        s.Apply([5f, 10f], y);
        Assert.Equal(2 / MathF.Sqrt(8f / 3), y[0], 1e-6f);
        // a constant measure is 0 where it was constant and clipped anywhere else
        Assert.Equal(0f, y[1]);
        s.Apply([1f, 10.5f], y);
        Assert.Equal(NoteComparisonScaler.Limit, y[1]);
    }

    [Fact]
    public void Values_far_outside_the_training_range_are_clipped_to_plus_minus_the_limit()
    {
        var s = new NoteComparisonScaler(1);
        s.Fit([[0f], [2f]]);
        var out_ = s.Forward(Tensor.FromArray([100f, -100f, 1.5f], 3, 1));
        Assert.Equal([NoteComparisonScaler.Limit, -NoteComparisonScaler.Limit, 0.5f], out_.ToArray());
    }

    [Fact]
    public void Forward_and_fit_refuse_vectors_of_another_length_and_empty_data()
    {
        var s = new NoteComparisonScaler(3);
        Assert.Contains("[B, 3]", Assert.Throws<ShapeMismatchException>(() => s.Forward(Tensor.Zeros(2, 4))).Message);
        Assert.Throws<ShapeMismatchException>(() => s.Fit([[1f, 2f]]));
        Assert.Throws<ShapeMismatchException>(() => s.Fit([]));
        Assert.Throws<OptionsValidationException>(() => new NoteComparisonScaler(0));
    }

    [Fact]
    public void Mean_and_scale_are_buffers_saved_with_the_weights_not_trained_parameters()
    {
        var s = new NoteComparisonScaler(4);
        Assert.Empty(s.Parameters());
        Assert.Equal(["mean", "scale"], s.NamedBuffers().Select(b => b.Key).Order());
    }
}
