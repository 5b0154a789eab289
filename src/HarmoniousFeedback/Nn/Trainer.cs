using System.Diagnostics;

namespace HarmoniousFeedback.Nn;

/// <summary>Deterministic mini-batching: epoch e of a run seeded s always yields the same batches.</summary>
public static class MiniBatches
{
    /// <summary>
    /// Index batches over n samples. With <paramref name="shuffle"/> the order is a Fisher–Yates permutation from an
    /// <see cref="NnRng"/> seeded by (seed, epoch), so resuming at an epoch reproduces its batches exactly.
    /// The last batch may be smaller unless <paramref name="dropLast"/>.
    /// </summary>
    public static IReadOnlyList<int[]> Create(int n, int batchSize, bool shuffle, int seed, int epoch, bool dropLast = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size {batchSize} must be > 0");
        var order = shuffle ? new NnRng(unchecked((ulong)(uint)seed << 32 | (uint)epoch) ^ 0xD1B54A32D192ED03UL).Permutation(n) : Enumerable.Range(0, n).ToArray();
        var batches = new List<int[]>();
        for (int i = 0; i < n; i += batchSize)
        {
            int len = Math.Min(batchSize, n - i);
            if (dropLast && len < batchSize) break;
            batches.Add(order.AsSpan(i, len).ToArray());
        }
        return batches;
    }
}

/// <summary>Options of <see cref="Trainer"/>.</summary>
public sealed record TrainerOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 32;
    public bool Shuffle { get; init; } = true;
    /// <summary>Seed of the batch order.</summary>
    public int Seed { get; init; }
    /// <summary>clip_grad_norm_ max norm applied before each step; null = no clipping.</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>Throw <see cref="TrainingDivergedException"/> on a NaN/Inf loss or gradient (default on).</summary>
    public bool DetectDivergence { get; init; } = true;
    /// <summary>If set, a checkpoint is written here (atomically) after every epoch.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Metric name that schedulers and early stopping watch ("loss" = the training loss).</summary>
    public string MonitorMetric { get; init; } = "loss";

    public void Validate() => new OptionsValidator(nameof(TrainerOptions)).Positive("Epochs", Epochs).Positive("BatchSize", BatchSize)
        .Check(ClipGradNorm is null or > 0, $"ClipGradNorm = {ClipGradNorm} must be > 0").ThrowIfAny();
}

/// <summary>What one epoch produced, reported to the observer.</summary>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, IReadOnlyDictionary<string, double> Metrics, double Lr, TimeSpan Elapsed, bool StoppedEarly);

/// <summary>
/// Runs epochs of mini-batch training: for each batch zero grads → loss → backward → (clip) → step, with NaN/Inf
/// detection naming epoch, step and quantity; then validation metrics, scheduler, observer report, checkpoint and
/// early stopping. Same seed + same thread count → bit-identical weights.
/// </summary>
public sealed class Trainer
{
    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;

    /// <summary>Scheduler stepped after each epoch (plateau schedules get the monitored metric).</summary>
    public ILrScheduler? Scheduler { get; init; }
    /// <summary>Early stopping on the monitored metric.</summary>
    public EarlyStopping? EarlyStopping { get; init; }
    /// <summary>Validation metrics computed after each epoch (called in eval mode, inside NoGrad).</summary>
    public Func<IReadOnlyDictionary<string, double>>? Evaluate { get; init; }
    /// <summary>Receives one report per epoch (console progress, notebook display).</summary>
    public IProgress<EpochReport>? Observer { get; init; }

    public Trainer(Module model, Optimizer optimizer, TrainerOptions? options = null)
    {
        _model = model; _optimizer = optimizer; _options = options ?? new TrainerOptions();
        _options.Validate();
    }

    /// <summary>Global optimizer steps taken.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>
    /// Trains on <paramref name="sampleCount"/> samples; <paramref name="batchLoss"/> maps a batch of sample indices
    /// to a scalar loss. Resumes after <paramref name="resumeFrom"/>'s epoch when given. Returns the reports.
    /// </summary>
    public IReadOnlyList<EpochReport> Fit(int sampleCount, Func<int[], Tensor> batchLoss, Checkpoint? resumeFrom = null)
    {
        int start = 0;
        if (resumeFrom is not null)
        {
            resumeFrom.Restore(_model, _optimizer);
            start = resumeFrom.Epoch + 1;
            GlobalStep = resumeFrom.GlobalStep;
            if (Scheduler is not null) Scheduler.LastEpoch = start;
        }
        var named = _model.NamedParameters().ToList();
        var reports = new List<EpochReport>();
        for (int epoch = start; epoch < _options.Epochs; epoch++)
        {
            var sw = Stopwatch.StartNew();
            _model.Train();
            double lossSum = 0; int seen = 0, step = 0;
            foreach (var batch in MiniBatches.Create(sampleCount, _options.BatchSize, _options.Shuffle, _options.Seed, epoch))
            {
                _optimizer.ZeroGrad();
                var loss = batchLoss(batch);
                float lv = loss.Item();
                if (_options.DetectDivergence && !float.IsFinite(lv))
                    throw new TrainingDivergedException($"training diverged at epoch {epoch}, step {step} (global step {GlobalStep}): loss is {lv}");
                loss.Backward();
                if (_options.DetectDivergence)
                    foreach (var (name, p) in named)
                        if (p.Grad is { } g && !AllFinite(g.Data))
                            throw new TrainingDivergedException($"training diverged at epoch {epoch}, step {step} (global step {GlobalStep}): gradient of '{name}' contains NaN/Inf");
                if (_options.ClipGradNorm is { } maxNorm) GradUtils.ClipGradNorm(_optimizer.Parameters, maxNorm);
                _optimizer.Step();
                lossSum += lv * batch.Length; seen += batch.Length; step++; GlobalStep++;
            }
            var metrics = new Dictionary<string, double> { ["loss"] = seen > 0 ? lossSum / seen : double.NaN };
            if (Evaluate is not null)
            {
                _model.Eval();
                using (Tensor.NoGrad()) foreach (var (k, v) in Evaluate()) metrics[k] = v;
                _model.Train();
            }
            if (!metrics.TryGetValue(_options.MonitorMetric, out var monitored))
                throw new ArgumentException($"monitored metric '{_options.MonitorMetric}' not among the metrics ({string.Join(", ", metrics.Keys)})");
            Scheduler?.Step(monitored);
            bool stop = EarlyStopping?.Update(epoch, monitored) ?? false;
            if (_options.CheckpointPath is { } path) Checkpoint.Capture(_model, _optimizer, epoch, GlobalStep).Save(path);
            var report = new EpochReport(epoch, _options.Epochs, metrics["loss"], metrics, _optimizer.Lr, sw.Elapsed, stop);
            reports.Add(report);
            Observer?.Report(report);
            if (stop) break;
        }
        return reports;
    }

    private static bool AllFinite(ReadOnlySpan<float> s)
    {
        foreach (var v in s) if (!float.IsFinite(v)) return false;
        return true;
    }
}
