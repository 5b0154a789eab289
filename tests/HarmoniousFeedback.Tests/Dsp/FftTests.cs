using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public class FftTests
{
    // Tolerances: float32 FFTs have relative error ~ 1e-7·log2(N) (radix-2) and a few times more for Bluestein
    // (three transforms of size ≥ 2N); 2e-5 leaves a wide margin while catching any wrong twiddle or index (errors ~ 1).
    private const double Tol = 2e-5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(1024)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(12)]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(250)]
    [InlineData(1000)]
    public void ComplexFft_matches_naive_double_dft(int n)
    {
        var re = DspReference.RandomSignal(n, n); var im = DspReference.RandomSignal(n, n + 7);
        var (er, ei) = DspReference.Dft(re.Select(v => (double)v).ToArray(), im.Select(v => (double)v).ToArray());
        var fft = new ComplexFft(n);
        var r = (float[])re.Clone(); var i = (float[])im.Clone();
        fft.Forward(r, i);
        Assert.True(DspReference.RelL2(r.Concat(i).ToArray(), er.Concat(ei).ToArray()) < Tol, $"N={n}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(512)]
    [InlineData(2048)]
    [InlineData(6)]
    [InlineData(400)]
    [InlineData(1000)]
    [InlineData(882)]
    public void RealFft_matches_naive_double_dft_and_simd_matches_scalar(int n)
    {
        var x = DspReference.RandomSignal(n, 3 * n);
        var (er, ei) = DspReference.Dft(x.Select(v => (double)v).ToArray(), new double[n]);
        var fft = new RealFft(n);
        var re = new float[n / 2 + 1]; var im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        var expected = er.Take(n / 2 + 1).Concat(ei.Take(n / 2 + 1)).ToArray();
        Assert.True(DspReference.RelL2(re.Concat(im).ToArray(), expected) < Tol);
        var sr = new float[n / 2 + 1]; var si = new float[n / 2 + 1];
        fft.ForwardScalar(x, sr, si);
        Assert.True(DspReference.RelL2(sr.Concat(si).ToArray(), expected) < Tol);
        for (int k = 0; k < re.Length; k++) // same algorithm, same order of operations except vector lanes: ≤ 1e-5 of the spectrum scale
        {
            Assert.True(Math.Abs(re[k] - sr[k]) <= 1e-5 * Math.Sqrt(n), $"bin {k}");
            Assert.True(Math.Abs(im[k] - si[k]) <= 1e-5 * Math.Sqrt(n), $"bin {k}");
        }
        var p = new float[n / 2 + 1];
        fft.Power(x, p);
        for (int k = 0; k < p.Length; k++) Assert.Equal(re[k] * re[k] + im[k] * im[k], p[k], 1e-5 * (1 + p[k]));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(400)]
    [InlineData(30)]
    public void Parseval_and_inverse_round_trip(int n)
    {
        var x = DspReference.RandomSignal(n, 11 * n);
        var fft = new RealFft(n);
        var re = new float[n / 2 + 1]; var im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        // Parseval for a real signal: Σx² = (1/N)(|X0|² + |X_{N/2}|² + 2 Σ_{0<k<N/2} |Xk|²)
        double time = x.Sum(v => (double)v * v), freq = 0;
        for (int k = 0; k <= n / 2; k++) freq += (k == 0 || k == n / 2 ? 1 : 2) * ((double)re[k] * re[k] + (double)im[k] * im[k]);
        Assert.Equal(time, freq / n, time * 1e-5);
        var back = new float[n];
        fft.Inverse(re, im, back);
        for (int i = 0; i < n; i++) Assert.Equal(x[i], back[i], 1e-5);
        var c = new ComplexFft(n);
        var cr = (float[])x.Clone(); var ci = new float[n];
        c.Forward(cr, ci); c.Inverse(cr, ci);
        for (int i = 0; i < n; i++) { Assert.Equal(x[i], cr[i], 1e-5); Assert.Equal(0, ci[i], 1e-5); }
    }

    [Fact]
    public void Single_bin_sine_puts_all_energy_in_its_bin()
    {
        const int n = 400, k0 = 37;
        var x = Enumerable.Range(0, n).Select(t => (float)Math.Cos(2 * Math.PI * k0 * t / n)).ToArray();
        var p = new float[n / 2 + 1];
        new RealFft(n).Power(x, p);
        Assert.Equal(n * n / 4.0, p[k0], 1e-3 * n * n); // |X[k0]| = N/2
        for (int k = 0; k < p.Length; k++) if (k != k0) Assert.True(p[k] < 1e-6 * n * n, $"leak in bin {k}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-2)]
    public void RealFft_rejects_odd_or_tiny_sizes(int n)
        => Assert.Throws<FeatureParameterException>(() => new RealFft(n));
}
