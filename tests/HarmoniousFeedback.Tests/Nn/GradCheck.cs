using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// Finite-difference gradient checker. The scalar objective is L = Σ f(inputs) ⊙ R with a fixed random R (so every
/// output element matters); each input element is perturbed by ±h and the central difference
/// (L(x+h) − L(x−h))/2h is compared with autograd. L is accumulated in double so the only float32 error is in f.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Asserts autograd matches central differences for every element of every input. Tolerance: float32 forward
    /// values carry ~1e-7 relative error, divided by 2h = 2e-2 gives ~1e-5·|L| of noise; curvature adds O(h²).
    /// So |auto − fd| ≤ atol + rtol·|fd| with atol 2e-3, rtol 2e-2 is tight enough to catch wrong formulas
    /// (which are off by O(1)) yet immune to rounding.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, int seed = 1, float h = 1e-2f, double atol = 2e-3, double rtol = 2e-2)
    {
        foreach (var x in inputs) { x.RequiresGrad = true; x.Grad = null; }
        var y0 = f(inputs);
        var rng = new NnRng(seed);
        var r = Enumerable.Range(0, y0.Count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var rt = new Tensor(r, y0.Shape.ToArray());
        (y0 * rt).Sum().Backward();
        double Objective()
        {
            using (Tensor.NoGrad())
            {
                var y = f(inputs).Data;
                double s = 0;
                for (int i = 0; i < y.Length; i++) s += (double)y[i] * r[i];
                return s;
            }
        }
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            Assert.True(x.Grad is not null, $"input {k}: no gradient computed");
            var auto = x.Grad!.ToArray();
            for (int i = 0; i < x.Count; i++)
            {
                float orig = x.Data[i];
                x.Data[i] = orig + h; double lp = Objective();
                x.Data[i] = orig - h; double lm = Objective();
                x.Data[i] = orig;
                double fd = (lp - lm) / (2 * h);
                Assert.True(Math.Abs(auto[i] - fd) <= atol + rtol * Math.Abs(fd),
                    $"input {k} element {i}: autograd {auto[i]} vs finite difference {fd}");
            }
        }
    }

    public static Tensor Rand(int seed, params int[] shape) => Tensor.Uniform(new NnRng(seed), -1f, 1f, shape);
}
