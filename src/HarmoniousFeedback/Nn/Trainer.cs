using System.Diagnostics;

namespace HarmoniousFeedback.Nn;

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
                throw new OptionsValidationException(nameof(TrainerOptions), [$"{nameof(TrainerOptions.MonitorMetric)} = '{_options.MonitorMetric}' is not among the metrics the validation returns ({string.Join(", ", metrics.Keys)})"]);
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
