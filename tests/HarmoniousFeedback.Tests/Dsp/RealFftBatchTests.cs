using System.Numerics.Tensors;
using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public sealed class RealFftBatchTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(2048)]
    public void Batched_real_ffts_give_each_frame_s_RealFft_power_spectrum_bit_for_bit(int n)
    {
        if (!RealFftBatch.Supports(n)) { Assert.Throws<FeatureParameterException>(() => new RealFftBatch(n)); return; }   // no 256-bit SIMD: callers use RealFft
        var signal = DspReference.RandomSignal(9 * n, n + 3);
        var window = Windows.Create(WindowType.Hann, n, periodic: true);
        int[] offsets = [0, 5, n / 2, n, 3 * n + 1, 4 * n, 7 * n, 8 * n];       // overlapping, repeated-stride and unaligned frames
        int bins = n / 2 + 1, stride = bins + 3;
        var batched = new float[8 * stride];
        new RealFftBatch(n).Power(signal, offsets, window, batched, stride);
        var fft = new RealFft(n);
        var frame = new float[n];
        var expected = new float[bins];
        for (int l = 0; l < 8; l++)
        {
            TensorPrimitives.Multiply(signal.AsSpan(offsets[l], n), window, frame);   // what Spectrogram.ProcessFrame does
            fft.Power(frame, expected);
            Assert.Equal(expected, batched.AsSpan(l * stride, bins).ToArray());     // exact: same float operations per lane
        }
    }

    [Fact]
    public void Batched_real_fft_rejects_a_frame_outside_the_signal()
    {
        if (!RealFftBatch.Supports(64)) return;   // no 256-bit SIMD: the type cannot be built (previous test)
        var window = new float[64];
        var ex = Assert.Throws<ShapeMismatchException>(() => new RealFftBatch(64).Power(new float[100], [0, 0, 0, 0, 0, 0, 0, 40], window, new float[8 * 33], 33));
        Assert.Contains("offset 40", ex.Message);
    }
}
