using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public class DctTests
{
    [Fact]
    public void Orthonormal_dct_is_orthogonal_and_matches_the_formula()
    {
        const int n = 16;
        var dct = new Dct(n, n);
        var basis = new float[n][];
        for (int i = 0; i < n; i++) { var e = new float[n]; e[i] = 1; basis[i] = new float[n]; dct.Apply(e, basis[i]); }
        for (int q = 0; q < n; q++)
            for (int r = 0; r < n; r++)
            {
                double dot = 0;
                for (int b = 0; b < n; b++) dot += basis[b][q] * basis[b][r];
                Assert.Equal(q == r ? 1.0 : 0.0, dot, 1e-5);
            }
        var x = DspReference.RandomSignal(n, 2);
        var c = new float[4];
        new Dct(n, 4).Apply(x, c);
        for (int q = 0; q < 4; q++)
        {
            double a = q == 0 ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n), s = 0;
            for (int b = 0; b < n; b++) s += x[b] * a * Math.Cos(Math.PI * q * (b + 0.5) / n);
            Assert.Equal(s, c[q], 1e-5);
        }
    }
}
