using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public class LpcTests
{
    [Fact]
    public void Levinson_recovers_an_ar2_process_from_its_exact_autocorrelation()
    {
        // x[n] = 1.3 x[n−1] − 0.6 x[n−2] + e[n]  →  A(z) = 1 − 1.3 z⁻¹ + 0.6 z⁻²; Yule–Walker: r1 = a1/(1−a2)·r0, r2 = a1 r1 + a2 r0.
        double a1 = 1.3, a2 = -0.6, r0 = 1, r1 = a1 / (1 - a2), r2 = a1 * r1 + a2 * r0;
        var a = new double[3];
        Lpc.LevinsonDurbin([r0, r1, r2], a);
        Assert.Equal(1, a[0]); Assert.Equal(-1.3, a[1], 1e-12); Assert.Equal(0.6, a[2], 1e-12);
    }

    [Fact]
    public void Roots_of_a_polynomial_with_known_complex_roots()
    {
        // (z − 0.9e^{±i0.5})(z − 0.5)(z + 0.7)
        var z1 = System.Numerics.Complex.FromPolarCoordinates(0.9, 0.5);
        var roots = new[] { z1, System.Numerics.Complex.Conjugate(z1), new(0.5, 0), new(-0.7, 0) };
        var c = new System.Numerics.Complex[] { 1 };
        foreach (var r in roots)
        {
            var next = new System.Numerics.Complex[c.Length + 1];
            for (int i = 0; i < c.Length; i++) { next[i] += c[i]; next[i + 1] -= c[i] * r; }
            c = next;
        }
        var found = Lpc.Roots(c.Select(v => v.Real).ToArray());
        foreach (var r in roots) Assert.Contains(found, f => (f - r).Magnitude < 1e-9);
    }

    [Theory]
    [InlineData(16000, 10000, 1234.0)]
    [InlineData(44100, 16000, 3000.0)]
    public void Resampler_keeps_a_passband_sine(int from, int to, double f)
    {
        int n = from / 2;
        var x = Enumerable.Range(0, n).Select(t => (float)Math.Sin(2 * Math.PI * f * t / from)).ToArray();
        var rs = new RationalResampler(from, to);
        var y = rs.Process(x);
        Assert.Equal(rs.OutputLength(n), y.Length);
        for (int t = y.Length / 4; t < 3 * y.Length / 4; t++) // away from the edges
            Assert.Equal(Math.Sin(2 * Math.PI * f * t / to), y[t], 2e-3);
    }
}
