using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// Bad arguments at the engine's public boundary raise the project's exception family (never BCL argument/index
/// exceptions), and each message names the parameter, its value and what is allowed.
/// </summary>
public sealed class BadArgumentTests
{
    public static TheoryData<string, Func<object>, Type, string> Cases() => new()
    {
        { "Linear sizes", () => new Linear(0, 3), typeof(OptionsValidationException), "in_features = 0, out_features = 3: both must be > 0" },
        { "Dropout p", () => new Dropout(1.5f), typeof(OptionsValidationException), "p = 1.5 must be in [0, 1)" },
        { "ModalityDropout p", () => new ModalityDropout(1f), typeof(OptionsValidationException), "p = 1 must be in [0, 1)" },
        { "Embedding padding_idx", () => new Embedding(4, 2, paddingIdx: 4), typeof(OptionsValidationException), "padding_idx = 4 must be in [0, 4)" },
        { "MultiheadAttention heads", () => new MultiheadAttention(6, 4), typeof(OptionsValidationException), "num_heads = 4 must be > 0 and divide embed_dim = 6" },
        { "optimizer lr", () => new SGD(new Linear(2, 2).Parameters(), -0.1), typeof(OptionsValidationException), "lr = -0.1 must be ≥ 0" },
        { "optimizer params", () => new Adam([], 0.1), typeof(OptionsValidationException), "params is empty" },
        { "batch size", () => MiniBatches.Create(10, 0, shuffle: false, seed: 0, epoch: 0), typeof(OptionsValidationException), "batch_size = 0 must be > 0" },
        { "label smoothing", () => F.CrossEntropy(Tensor.Zeros(2, 3), new long[] { 0, 1 }, labelSmoothing: 2f), typeof(OptionsValidationException), "label_smoothing = 2 must be in [0, 1]" },
        { "cross-entropy target", () => F.CrossEntropy(Tensor.Zeros(2, 3), new long[] { 0, 3 }), typeof(InvalidIndexException), "cross_entropy target 3 is outside [0, 3)" },
        { "tensor index", () => Tensor.Zeros(2, 3)[1, 3], typeof(InvalidIndexException), "index of dim 1 3 is outside [0, 3) (shape [2, 3])" },
        { "gathered row", () => Tensor.Zeros(2, 3).IndexSelectRows(new long[] { 0, 2 }, [2]), typeof(InvalidIndexException), "row index [1] 2 is outside [0, 2)" },
        { "sequence lengths", () => F.LengthsToPaddingMask([1, 5], 4), typeof(ShapeMismatchException), "lengths[1] = 5 is outside [1, 4]" },
        { "backward without grad", () => { Tensor.Ones(2).Sum().Backward(); return 0; }, typeof(AutogradException), "does not require grad" },
        { "weighted sum of nothing", () => F.WeightedSum([]), typeof(ShapeMismatchException), "WeightedSum got no terms" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_argument_raises_the_project_exception_naming_value_and_range(string what, Func<object> act, Type expected, string message)
    {
        var e = Assert.ThrowsAny<HarmoniousFeedbackException>(act);
        Assert.True(e.GetType() == expected, $"{what}: {e.GetType().Name} instead of {expected.Name}: {e.Message}");
        Assert.Contains(message, e.Message);
    }
}
