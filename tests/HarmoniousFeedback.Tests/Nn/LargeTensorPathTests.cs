using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>
/// The chunked multi-core paths (used above ~2.6e5 elements) against plain scalar references, on tensors large
/// enough to take them. Parity and gradient checks use small tensors, which stay on the single-thread path.
/// </summary>
public sealed class LargeTensorPathTests
{
    [Fact]
    public void BatchNormTrainMatchesDoubleReference()
    {
        int n = 4, c = 3, hw = 150 * 150;
        var x = Tensor.Uniform(new Random(1), -2f, 3f, n, c, 150, 150).RequiresGrad_();
        var w = new Tensor([0.5f, 1.5f, -1f], 3).RequiresGrad_();
        var b = new Tensor([0.1f, 0f, -0.2f], 3).RequiresGrad_();
        var rm = Tensor.Zeros(3); var rv = Tensor.Ones(3);
        var y = F.BatchNorm(x, rm, rv, w, b, training: true);
        var g = Tensor.Uniform(new Random(2), -1f, 1f, n, c, 150, 150);
        y.Backward(g);
        var xd = x.Data.ToArray(); var gd = g.Data.ToArray();
        for (int ch = 0; ch < c; ch++)
        {
            double s = 0, q = 0; int m = n * hw;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) s += xd[(i * c + ch) * hw + k];
            double mu = s / m;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) { double d = xd[(i * c + ch) * hw + k] - mu; q += d * d; }
            double rs = 1 / Math.Sqrt(q / m + 1e-5);
            Assert.Equal(0.1 * mu, rm.Data[ch], 5);
            double sg = 0, sgx = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) { int o = (i * c + ch) * hw + k; sg += gd[o]; sgx += gd[o] * (xd[o] - mu) * rs; }
            Assert.Equal(sg, b.Grad!.Data[ch], 2);
            Assert.Equal(sgx, w.Grad!.Data[ch], 2);
            foreach (int o in new[] { (0 * c + ch) * hw + 7, (3 * c + ch) * hw + hw - 1, (2 * c + ch) * hw + 12345 })
            {
                double xh = (xd[o] - mu) * rs;
                Assert.Equal(xh * w.Data[ch] + b.Data[ch], y.Data[o], 4);
                double dx = w.Data[ch] * rs * (gd[o] - sg / m - xh * sgx / m);
                Assert.Equal(dx, x.Grad!.Data[o], 4);
            }
        }
    }

    [Fact]
    public void ReluAndMaxPoolMatchScalarReferences()
    {
        var x = Tensor.Uniform(new Random(3), -1f, 1f, 2, 6, 200, 220).RequiresGrad_();
        var r = x.Relu();
        var p = F.MaxPool2d(r, (2, 2), (2, 2), (0, 0));
        var g = Tensor.Uniform(new Random(4), -1f, 1f, p.Shape.ToArray());
        p.Backward(g);
        var xd = x.Data.ToArray();
        var dx = new float[xd.Length];
        for (int pl = 0; pl < 12; pl++)
            for (int oy = 0; oy < 100; oy++)
                for (int ox = 0; ox < 110; ox++)
                {
                    int best = -1; float bv = 0;
                    for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++)
                    {
                        int o = (pl * 200 + 2 * oy + i) * 220 + 2 * ox + j;
                        float v = Math.Max(xd[o], 0f);
                        if (best < 0 || v > bv) { bv = v; best = o; }
                    }
                    int po = (pl * 100 + oy) * 110 + ox;
                    Assert.Equal(bv, p.Data[po]);
                    if (xd[best] > 0) dx[best] += g.Data[po];
                }
        Assert.Equal(dx, x.Grad!.ToArray());
    }
}
