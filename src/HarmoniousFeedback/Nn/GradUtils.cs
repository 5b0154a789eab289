using System.Numerics.Tensors;

namespace HarmoniousFeedback.Nn;

/// <summary>Gradient utilities.</summary>
public static class GradUtils
{
    /// <summary>
    /// <c>clip_grad_norm_</c> (L2): total = √(Σ over tensors Σ g²); coef = min(1, maxNorm/(total + 1e-6)); g ← g·coef.
    /// Returns total (before clipping). Accumulated in double in a fixed order.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        var grads = parameters.Where(p => p.Grad is not null).Select(p => p.Grad!).ToList();
        double sq = 0;
        foreach (var g in grads) foreach (var v in g.Data) sq += (double)v * v;
        double total = Math.Sqrt(sq);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var g in grads) TensorPrimitives.Multiply(g.Data, (float)coef, g.Data);
        return total;
    }

    /// <summary>True when every element of every gradient is finite.</summary>
    public static bool AllFinite(IEnumerable<Tensor> parameters)
    {
        foreach (var p in parameters)
            if (p.Grad is { } g)
                foreach (var v in g.Data) if (!float.IsFinite(v)) return false;
        return true;
    }
}
