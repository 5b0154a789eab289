using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

[Collection("Memory measurements")]
public sealed class FoldedConvStackAllocationTests
{
    [Fact]
    public void Folded_stack_allocates_nothing_after_its_first_call_at_a_shape()
    {
        var stack = new FoldedConvStack(FoldedConvStackTests.Encoder(12, 16, 32));
        var x = Tensor.Uniform(new NnRng(13), 0f, 1f, 2, 1, 64, 75);
        var (c, oh, ow) = stack.OutputShape(64, 75);
        var y = new float[2 * c * oh * ow];
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            stack.Forward(x.Data, 2, 64, 75, y);   // the thread's scratch grows to this shape
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++) stack.Forward(x.Data, 2, 64, 75, y);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally { Gemm.MaxThreads = saved; }
    }
}
