namespace HarmoniousFeedback.Nn;

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
