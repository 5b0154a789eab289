using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

[Collection("Memory measurements")]
public sealed class TrainingMemoryTests
{
    [Fact]
    public void Working_set_stays_steady_across_epochs()
    {
        // Training the LSTM case must not accumulate memory: graphs are released after Backward and no buffer
        // outlives its step. Managed heap after a full GC at the end of each epoch must stay flat.
        var (model, _, _, data) = TrainingTests.Setup(epochs: 1);
        var opt = new SGD(model.Parameters(), lr: 0.05);
        var heap = new List<long>();
        for (int epoch = 0; epoch < 8; epoch++)
        {
            var t = new Trainer(model, opt, new TrainerOptions { Epochs = epoch + 1, BatchSize = 32, Seed = 1 });
            t.Fit(data.N, TrainingTests.LossFn(model, data), resumeFrom: epoch == 0 ? null : Checkpoint.Capture(model, opt, epoch - 1, 0));
            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
            heap.Add(GC.GetTotalMemory(forceFullCollection: true));
        }
        long growth = heap[^1] - heap[2];
        // 1 MB margin: allocator/JIT noise; one leaked epoch of activations would be several MB (×5 epochs measured)
        Assert.True(growth < 1024 * 1024, $"managed heap grew by {growth / 1024} KB from epoch 3 to 8: {string.Join(", ", heap.Select(h => h / 1024 + " KB"))}");
    }
}
