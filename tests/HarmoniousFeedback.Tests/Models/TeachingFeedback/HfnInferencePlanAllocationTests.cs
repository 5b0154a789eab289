using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

[Collection("Memory measurements")]
public sealed class HfnInferencePlanAllocationTests
{
    [Fact]
    public void Plan_allocates_only_its_result_arrays_after_the_first_call_on_a_3_s_window()
    {
        var net = HfnInferencePlanTests.Network(new HarmoniousFeedbackNetworkOptions(), 8, seed: 11);
        var plan = new HfnInferencePlan(net);
        var e = HfnInferencePlanTests.Example(5, 301, 128, 8);
        int saved = Gemm.MaxThreads;
        try
        {
            Gemm.MaxThreads = 1;
            plan.Predict(e);   // the plan's buffers and the thread's scratch grow to this length
            long before = GC.GetAllocatedBytesForCurrentThread();
            var p = plan.Predict(e);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            // the prediction itself: 7 + 6 + 6 + 3 floats, 18 × 6 frame deficits, 2 × 18 frame times (double), the record and
            // array headers — under 2 KB; the engine's forward pass allocated ≈ 9 MB per window (bench/README.md)
            Assert.Equal(18 * 6, p.FrameDeficits.Length);
            Assert.InRange(bytes, 0, 2048);
        }
        finally { Gemm.MaxThreads = saved; }
    }
}
