using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class FramedSignalTests
{
    [Theory]
    [InlineData(true, PadMode.Reflect)]
    [InlineData(true, PadMode.Constant)]
    [InlineData(false, PadMode.Reflect)]
    public void Rented_framing_reads_the_same_frames_as_the_allocating_one(bool center, PadMode mode)
    {
        var x = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i * 0.1f)).ToArray();
        var fresh = new FramedSignal(x, 64, 16, center, mode);
        for (int round = 0; round < 3; round++)   // the pool hands back stale buffers from the second round on
        {
            var rented = FramedSignal.Rent(x, 64, 16, center, mode);
            try
            {
                Assert.Equal(fresh.Frames, rented.Frames);
                for (int i = 0; i < fresh.Frames; i++) Assert.True(fresh.Frame(i).SequenceEqual(rented.Frame(i)), $"frame {i} differs");
            }
            finally
            {
                rented.Return();
            }
        }
    }
}
