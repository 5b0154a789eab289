using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// The training loop the multimodal networks share: seeded mini-batches over the training rows (<see cref="Trainer"/>),
/// the validation loss after every epoch, early stopping with <c>patience</c>, and the weights of the epoch with the lowest
/// validation loss restored at the end.
/// </summary>
internal static class EarlyStoppedFit
{
    /// <remarks><paramref name="batchLoss"/> gets a batch as row indices of the whole training table (drawn from
    /// <paramref name="trainIdx"/>); <paramref name="evaluate"/> returns (loss, accuracy) of the given rows and is called on
    /// <paramref name="valIdx"/> in eval mode without gradients.</remarks>
    public static IReadOnlyList<EpochReport> Run(Module net, Optimizer opt, int[] trainIdx, int[] valIdx, Func<int[], Tensor> batchLoss,
        Func<int[], (double Loss, double Accuracy)> evaluate, int epochs, int batchSize, int seed, double? clipGradNorm, int patience,
        IProgress<EpochReport>? observer)
    {
        Dictionary<string, Tensor>? best = null;
        double bestVal = double.PositiveInfinity;
        Func<IReadOnlyDictionary<string, double>>? eval = null;
        if (valIdx.Length > 0)
        {
            eval = () =>
            {
                var (loss, acc) = evaluate(valIdx);
                if (loss < bestVal)
                {
                    bestVal = loss;
                    best = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
                }
                return new Dictionary<string, double> { ["val_loss"] = loss, ["val_accuracy"] = acc };
            };
        }
        var trainer = new Trainer(net, opt, new TrainerOptions
        {
            Epochs = epochs, BatchSize = batchSize, Shuffle = true, Seed = seed, ClipGradNorm = clipGradNorm,
            MonitorMetric = valIdx.Length > 0 ? "val_loss" : "loss",
        })
        {
            Evaluate = eval,
            EarlyStopping = valIdx.Length > 0 ? new EarlyStopping(patience) : null,
            Observer = observer,
        };
        var history = trainer.Fit(trainIdx.Length, batch => batchLoss(batch.Select(b => trainIdx[b]).ToArray()));
        if (best is not null) net.LoadStateDict(best);
        net.Eval();
        return history;
    }
}
