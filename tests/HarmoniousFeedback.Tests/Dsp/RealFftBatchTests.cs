using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
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

    [Theory]
    [InlineData(8)]       // the gather path (too short for the 8×8 transposes)
    [InlineData(16)]      // the smallest transposed path
    [InlineData(2048)]
    public void Lane_layout_power_holds_the_same_values_as_the_frame_layout_power(int n)
    {
        if (!RealFftBatch.Supports(n)) return;   // no 256-bit SIMD: the type cannot be built (first test)
        var signal = DspReference.RandomSignal(9 * n, n + 7);
        var window = Windows.Create(WindowType.Hann, n, periodic: true);
        int[] offsets = [3, 0, n, n / 2, 2 * n + 5, 5 * n, 8 * n, 6 * n];
        int bins = n / 2 + 1;
        var fft = new RealFftBatch(n);
        var frames = new float[8 * bins];
        fft.Power(signal, offsets, window, frames, bins);
        var lanes = new Vector256<float>[bins];
        fft.PowerLanes(signal, offsets, window, lanes);
        for (int l = 0; l < 8; l++)
            for (int k = 0; k < bins; k++)
                Assert.Equal(frames[l * bins + k], lanes[k].GetElement(l));   // exact: the same split, only stored transposed
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
