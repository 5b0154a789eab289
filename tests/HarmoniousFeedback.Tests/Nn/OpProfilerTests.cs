using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

public sealed class OpProfilerTests
{
    [Fact]
    public void Counts_forward_and_backward_of_every_recorded_op_only_while_active()
    {
        var w = Tensor.Uniform(new NnRng(1), -1f, 1f, 4, 3).RequiresGrad_();
        var x = Tensor.Uniform(new NnRng(2), -1f, 1f, 5, 4);
        Tensor.MatMul(x, w).Relu().Sum().Backward();           // before: not recorded
        IReadOnlyList<OpProfiler.Row> rows;
        using (var prof = OpProfiler.Start())
        {
            for (int i = 0; i < 3; i++) Tensor.MatMul(x, w).Relu().Sum().Backward();
            rows = prof.Rows();
        }
        Tensor.MatMul(x, w).Relu().Sum().Backward();           // after Dispose: not recorded
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(3, r.Calls));
        Assert.All(rows, r => Assert.True(r.ForwardMs >= 0 && r.BackwardMs >= 0));
        Assert.Equal(["MatMul", "Relu", "Sum"], rows.Select(r => r.Op).Order().ToArray());
        Assert.Null(OpProfiler.Current);
    }
}
