using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>Vectorised sigmoid/tanh against double-precision Math.Exp/Math.Tanh, for every instruction set available.</summary>
public class ActivationsTests
{
    /// <summary>Inputs: a dense sweep of [−30, 30], tiny magnitudes (where tanh(x) ≈ x tests relative accuracy), the
    /// polynomial/exp switch at |x| = 0.625, and the clamp range of e^x.</summary>
    private static float[] Inputs()
    {
        var xs = new List<float>();
        for (int i = -30000; i <= 30000; i++) xs.Add(i * 1e-3f);
        foreach (float t in new[] { 1e-30f, 1e-20f, 1e-7f, 1e-6f, 3e-5f, 1e-3f, 0.6249f, 0.625f, 0.6251f, 9f, 40f, 80f, 86.9f })
        {
            xs.Add(t);
            xs.Add(-t);
        }
        xs.Add(0f);
        return xs.ToArray();
    }

    [Fact]
    public void Sigmoid_and_tanh_are_within_1e6_relative_of_double_precision()
    {
        var x = Inputs();
        foreach (var isa in GemmTests.Isas())
        {
            var y = new float[x.Length];
            Activations.Apply(x, y, Activations.Op.Sigmoid, isa);
            AssertRelative(x, y, v => 1 / (1 + Math.Exp(-v)), $"sigmoid {isa}");
            Activations.Apply(x, y, Activations.Op.Tanh, isa);
            AssertRelative(x, y, Math.Tanh, $"tanh {isa}");
        }
    }

    [Fact]
    public void Saturation_nan_and_in_place_use()
    {
        var x = new[] { 1000f, -1000f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0.5f, -2f };
        var s = (float[])x.Clone();
        Activations.SigmoidInPlace(s);
        Assert.Equal(1f, s[0]);
        Assert.True(s[1] >= 0 && s[1] < 1e-38f);
        Assert.Equal(1f, s[2]);
        Assert.True(s[3] >= 0 && s[3] < 1e-38f);
        Assert.True(float.IsNaN(s[4]));
        var t = (float[])x.Clone();
        Activations.TanhInPlace(t);
        Assert.Equal(new[] { 1f, -1f, 1f, -1f }, t[..4]);
        Assert.True(float.IsNaN(t[4]));
        var viaCopy = new float[x.Length];
        Activations.Tanh(x, viaCopy);
        Assert.Equal(t, viaCopy);
    }

    [Fact]
    public void An_element_gets_the_same_value_in_the_body_and_in_the_tail()
    {
        // Lengths 1..40 put the same value at every position relative to the 16/8-lane blocks.
        foreach (var isa in GemmTests.Isas())
            for (int n = 1; n <= 40; n++)
            {
                var x = Enumerable.Range(0, n).Select(i => 0.37f * (i % 5) - 0.8f).ToArray();
                var y = new float[n];
                Activations.Apply(x, y, Activations.Op.Tanh, isa);
                for (int i = 0; i < n; i++) Assert.Equal(y[i % 5], y[i]);
            }
    }

    [Fact]
    public void Short_output_is_rejected()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Activations.Sigmoid(new float[5], new float[4]));
        Assert.Contains("4 elements", e.Message);
    }

    /// <summary>
    /// 1e-6 relative is the accuracy promised in the docs (float32 ulp is 6e-8, the kernels measure ≈ 2e-7).
    /// Sigmoid below e^−87 underflows; there only a 5e-39 absolute error is required.
    /// </summary>
    private static void AssertRelative(float[] x, float[] y, Func<double, double> exact, string what)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double e = exact(x[i]);
            double err = Math.Abs(y[i] - e);
            if (!(err <= 1e-6 * Math.Abs(e) || err <= 5e-39))
                Assert.Fail($"{what}({x[i]:R}) = {y[i]:R}, expected {e:R} (relative error {err / Math.Abs(e):E2})");
        }
    }
}
