using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public class WindowAndFramingTests
{
    [Fact]
    public void Periodic_hann_uses_divisor_w_and_symmetric_uses_w_minus_1()
    {
        var p = Windows.Create(WindowType.Hann, 4, periodic: true);   // torch.hann_window(4) = [0, .5, 1, .5]
        Assert.Equal(new[] { 0f, 0.5f, 1f, 0.5f }, p.Select(v => MathF.Round(v, 6)));
        var s = Windows.Create(WindowType.Hann, 5, periodic: false);  // numpy.hanning(5) = [0, .5, 1, .5, 0]
        Assert.Equal(new[] { 0f, 0.5f, 1f, 0.5f, 0f }, s.Select(v => MathF.Round(v, 6)));
        var h = Windows.Create(WindowType.Hamming, 4);                 // torch.hamming_window(4) = [.08, .54, 1, .54]
        Assert.Equal(new[] { 0.08f, 0.54f, 1f, 0.54f }, h.Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void PadCenter_puts_floor_half_of_the_slack_before()
    {
        var w = Windows.PadCenter([1f, 1f, 1f], 8); // L = floor(5/2) = 2
        Assert.Equal(new[] { 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f }, w);
    }

    [Fact]
    public void Reflect_padding_is_numpy_reflect_including_repeated_reflection()
    {
        // Expected values from numpy.pad(x, pad, mode=...)
        Assert.Equal(new[] { 3f, 2f, 1f, 2f, 3f, 4f, 3f, 2f }, Framing.Pad([1f, 2f, 3f, 4f], 2, PadMode.Reflect));
        Assert.Equal(new[] { 2f, 1f, 2f, 3f, 2f, 1f, 2f, 3f, 2f, 1f, 2f, 3f, 2f }, Framing.Pad([1f, 2f, 3f], 5, PadMode.Reflect));
        Assert.Equal(new[] { 1f, 1f, 1f, 2f, 3f, 3f, 3f }, Framing.Pad([1f, 2f, 3f], 2, PadMode.Edge));
        Assert.Equal(new[] { 0f, 1f, 2f, 0f }, Framing.Pad([1f, 2f], 1, PadMode.Constant));
        Assert.Equal(new[] { 5f, 5f, 5f }, Framing.Pad([5f], 1, PadMode.Reflect));
    }

    [Theory]
    [InlineData(PadMode.Reflect)]
    [InlineData(PadMode.Edge)]
    [InlineData(PadMode.Constant)]
    public void Pad_into_a_reused_buffer_writes_the_allocating_pads_values_and_nothing_past_them(PadMode mode)
    {
        // the buffer overload (pooled callers) against the allocating one, on a buffer full of stale values
        foreach (int n in new[] { 0, 1, 3, 17 })
            foreach (int pad in new[] { 0, 1, 5, 40 })
            {
                var x = Enumerable.Range(1, n).Select(v => (float)v).ToArray();
                var buffer = Enumerable.Repeat(-7f, n + 2 * pad + 3).ToArray();
                Framing.PadInto(x, pad, mode, buffer);
                Assert.Equal(Framing.Pad(x, pad, mode), buffer[..(n + 2 * pad)]);
                Assert.Equal(new[] { -7f, -7f, -7f }, buffer[(n + 2 * pad)..]);
            }
        Assert.Throws<ArgumentException>(() => Framing.PadInto([1f, 2f], 2, mode, new float[5]));
    }

    [Fact]
    public void Frame_count_follows_torch_stft()
    {
        Assert.Equal(201, Framing.FrameCount(32000, 512, 160, true));
        Assert.Equal(26, Framing.FrameCount(4000, 512, 160, true));
        Assert.Equal(0, Framing.FrameCount(0, 512, 160, true));
        Assert.Equal(1 + (32000 - 512) / 160, Framing.FrameCount(32000, 512, 160, false));
        Assert.Equal(0, Framing.FrameCount(100, 512, 160, false));
    }
}
