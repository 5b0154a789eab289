using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Trains an HFN / HFN–HFI on performances with their labels by construction: AdamW with the options' lr and weight
/// decay, seeded mini-batches (zero-padded to the longest clip), <see cref="HfnObjective"/> as the loss, gradient
/// clipping, and — with a validation fraction — a song-grouped hold-out of the training groups (never a piece on both
/// sides) whose objective drives early stopping; the weights of the best validation epoch are kept.
/// Same seed and thread count → bit-identical weights.
/// </summary>
public sealed class HarmoniousFeedbackTrainer
{
    public HarmoniousFeedbackTrainer(HarmoniousFeedbackNetworkOptions network, HfnTrainingOptions training, int seed)
    {
        network.Validate();
        training.Validate();
        Network = network;
        Training = training;
        Seed = seed;
    }

    public HarmoniousFeedbackNetworkOptions Network { get; }
    public HfnTrainingOptions Training { get; }
    public int Seed { get; }

    /// <summary>Receives one report per epoch (metrics: loss, val_loss, val_accuracy, reward).</summary>
    public IProgress<EpochReport>? Observer { get; init; }

    /// <param name="examples">Inputs of every training performance.</param>
    /// <param name="targets">Their labels (same order).</param>
    /// <param name="groups">Their groups (reference pieces), for the validation split.</param>
    /// <exception cref="DatasetException">Empty or inconsistent data, naming the row and what is wrong.</exception>
    public HarmoniousFeedbackModel Fit(IReadOnlyList<HfnExample> examples, IReadOnlyList<FeedbackTargets> targets, IReadOnlyList<string> groups)
    {
        var (alignment, notes) = CheckData(examples, targets, groups);
        var (trainIdx, valIdx) = ValidationSplit(groups, Training.ValidationFraction, Seed);
        var net = new HarmoniousFeedbackNetwork(Network, alignment, Seed, notes);
        net.Notes?.Fit(trainIdx.Select(i => examples[i].Notes!));   // μ, σ of the training clips only (not the validation pieces)
        int p = net.PoolFactor;
        var opt = new AdamW(net.Parameters(), Training.LearningRate, weightDecay: Training.WeightDecay);
        Tensor? classWeight = Training.BalancedClassWeights ? ClassWeights(targets, trainIdx) : null;

        IReadOnlyDictionary<string, Tensor>? best = null;
        double bestVal = double.PositiveInfinity;
        double rewardSum = 0;
        int rewardCount = 0;
        Func<IReadOnlyDictionary<string, double>>? evaluate = () =>
        {
            var metrics = new Dictionary<string, double>();
            if (net.Integration is not null) metrics["reward"] = rewardCount > 0 ? rewardSum / rewardCount : 0;
            rewardSum = 0; rewardCount = 0;
            if (valIdx.Length == 0) return metrics;
            var (loss, acc) = Score(net, examples, targets, valIdx, classWeight, alignment, notes, p);
            if (loss < bestVal)
            {
                bestVal = loss;
                best = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
            }
            metrics["val_loss"] = loss;
            metrics["val_accuracy"] = acc;
            return metrics;
        };
        var trainer = new Trainer(net, opt, new TrainerOptions
        {
            Epochs = Training.MaxEpochs, BatchSize = Training.BatchSize, Shuffle = true, Seed = Seed,
            ClipGradNorm = Training.ClipGradNorm, MonitorMetric = valIdx.Length > 0 ? "val_loss" : "loss",
        })
        {
            Evaluate = evaluate,
            EarlyStopping = Training.EarlyStoppingPatience is int patience && valIdx.Length > 0 ? new EarlyStopping(patience) : null,
            Observer = Observer,
        };
        var maskRng = new NnRng(unchecked((ulong)(uint)Seed * SplitMix64.Golden + 41));
        var history = trainer.Fit(trainIdx.Length, batch =>
        {
            var rows = batch.Select(b => trainIdx[b]).ToArray();
            var inputs = HfnBatching.Inputs(examples, rows, Network.ReferenceStream, alignment, p, notes);
            HfnBatching.MaskFrequencies(inputs, Training.FrequencyMasks, (int)Math.Round(Training.FrequencyMaskFraction * Network.NMels), maskRng);
            var y = HfnBatching.Targets(examples, targets, rows, inputs.Frames, p);
            var (loss, parts) = HfnObjective.Compute(net, net.Forward(inputs), y, Training, classWeight);
            rewardSum += parts.MeanReward; rewardCount++;
            return loss;
        });
        if (best is not null) net.LoadStateDict(best);
        net.Eval();
        return new HarmoniousFeedbackModel(net, Seed) { History = history };
    }

    /// <summary>Validates the data; returns K (alignment features) and Q (note-comparison measures, from the first example; 0 = none), both 0 without the reference stream.</summary>
    private (int Alignment, int Notes) CheckData(IReadOnlyList<HfnExample> examples, IReadOnlyList<FeedbackTargets> targets, IReadOnlyList<string> groups)
    {
        if (examples.Count == 0) throw new DatasetException("HFN trainer: the training data is empty");
        if (targets.Count != examples.Count || groups.Count != examples.Count)
            throw new DatasetException($"HFN trainer: {examples.Count} examples, {targets.Count} targets and {groups.Count} groups; they must correspond one to one");
        int alignment = Network.ReferenceStream ? examples[0].Alignment?.Columns ?? 0 : 0;
        int notes = Network.ReferenceStream ? examples[0].Notes?.Length ?? 0 : 0;
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (e.Student.Columns != Network.NMels)
                throw new DatasetException($"HFN trainer: row {i}'s log-mel has {e.Student.Columns} mel bins but NMels = {Network.NMels} (set the view's nMels and the model's nMels alike)");
            if (e.Frames < 1) throw new DatasetException($"HFN trainer: row {i} has an empty log-mel");
            foreach (var v in e.Student.Data)
                if (!float.IsFinite(v)) throw new DatasetException($"HFN trainer: row {i}'s log-mel has a non-finite value");
            if (Network.ReferenceStream)
            {
                if (e.Reference is null || e.Reference.Rows != e.Frames || e.Reference.Columns != Network.NMels)
                    throw new DatasetException($"HFN trainer: row {i} needs an aligned reference log-mel of {e.Frames} × {Network.NMels} with the reference stream, got {(e.Reference is null ? "none" : $"{e.Reference.Rows} × {e.Reference.Columns}")} (the views must share the log-mel options)");
                if ((e.Alignment?.Columns ?? 0) != alignment || (e.Alignment is not null && e.Alignment.Rows != e.Frames))
                    throw new DatasetException($"HFN trainer: row {i}'s alignment features are {(e.Alignment is null ? "absent" : $"{e.Alignment.Rows} × {e.Alignment.Columns}")}, expected {e.Frames} × {alignment}");
                if ((e.Notes?.Length ?? 0) != notes)
                    throw new DatasetException($"HFN trainer: row {i}'s note comparison has {e.Notes?.Length ?? 0} values, row 0's has {notes}; every row needs the same (view score-notes)");
                if (e.Notes is not null)
                    foreach (var v in e.Notes)
                        if (!float.IsFinite(v)) throw new DatasetException($"HFN trainer: row {i}'s note comparison has a non-finite value");
            }
            targets[i].Validate($"row {i}");
        }
        return (alignment, notes);
    }

    private static Tensor ClassWeights(IReadOnlyList<FeedbackTargets> targets, int[] rows)
    {
        int c = HarmoniousFeedbackNetwork.IssueClasses.Count;
        var counts = new float[c];
        foreach (var r in rows) counts[targets[r].IssueIndex]++;
        int present = counts.Count(x => x > 0);
        return Tensor.FromArray(counts.Select(n => n > 0 ? rows.Length / (present * n) : 0f).ToArray(), c);
    }

    private (double Loss, double Accuracy) Score(HarmoniousFeedbackNetwork net, IReadOnlyList<HfnExample> examples, IReadOnlyList<FeedbackTargets> targets,
        int[] rows, Tensor? classWeight, int alignment, int notes, int p)
    {
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < rows.Length; s += Training.BatchSize)
        {
            var chunk = rows.AsSpan(s, Math.Min(Training.BatchSize, rows.Length - s)).ToArray();
            var inputs = HfnBatching.Inputs(examples, chunk, Network.ReferenceStream, alignment, p, notes);
            var y = HfnBatching.Targets(examples, targets, chunk, inputs.Frames, p);
            var o = net.Forward(inputs);
            loss += HfnObjective.Compute(net, o, y, Training with { L2 = 0 }, classWeight).Parts.Total * chunk.Length;
            var pred = o.IssueLogits.ArgMax(-1);
            for (int i = 0; i < chunk.Length; i++) if (pred[i] == y.Issue[i]) correct++;
        }
        return (loss / rows.Length, (double)correct / rows.Length);
    }

    /// <summary>Deterministic grouped hold-out: the distinct groups shuffled by a SplitMix64 generator seeded from <paramref name="seed"/>; the first ⌈fraction·G⌉ (at least 1, at most G − 1) are held out.</summary>
    public static (int[] Train, int[] Validation) ValidationSplit(IReadOnlyList<string> groups, double fraction, int seed)
    {
        var all = Enumerable.Range(0, groups.Count).ToArray();
        if (fraction <= 0) return (all, []);
        var distinct = groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 2) return (all, []);
        var order = new NnRng(unchecked((ulong)(uint)seed * SplitMix64.Golden + 29)).Permutation(distinct.Length);
        int nVal = Math.Clamp((int)Math.Ceiling(fraction * distinct.Length), 1, distinct.Length - 1);
        var val = new HashSet<string>(order.Take(nVal).Select(i => distinct[i]), StringComparer.Ordinal);
        return (all.Where(i => !val.Contains(groups[i])).ToArray(), all.Where(i => val.Contains(groups[i])).ToArray());
    }
}
