namespace HarmoniousFeedback.Augmentation;

/// <summary>
/// Options of <see cref="RandomAugmenter"/>: each augmented copy draws a speed <c>rate</c> log-uniformly from
/// [<see cref="MinRate"/>, <see cref="MaxRate"/>] and a pitch shift uniformly from [<see cref="MinNSteps"/>,
/// <see cref="MaxNSteps"/>] semitones. Tempo and register are emotion cues (arousal, valence): keep the ranges small
/// for emotion labels, or set a range to a single value to switch that part off.
/// </summary>
public sealed record RandomAugmentationOptions
{
    /// <summary>Seed of every draw (with the clip's source name and the copy index). Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Slowest speed factor (0.25 – MaxRate). Default 0.9.</summary>
    public double MinRate { get; init; } = 0.9;

    /// <summary>Fastest speed factor (MinRate – 4). Default 1.1.</summary>
    public double MaxRate { get; init; } = 1.1;

    /// <summary>Lowest pitch shift in semitones (−24 – MaxNSteps). Default −1.</summary>
    public double MinNSteps { get; init; } = -1;

    /// <summary>Highest pitch shift in semitones (MinNSteps – 24). Default 1.</summary>
    public double MaxNSteps { get; init; } = 1;

    /// <summary>Algorithm, window and hop of both operations.</summary>
    public TimeStretchOptions Stretch { get; init; } = new();

    /// <summary>Checks every option and throws one <see cref="OptionsValidationException"/> listing all problems.</summary>
    public void Validate()
    {
        var v = new OptionsValidator(nameof(RandomAugmentationOptions));
        v.InRange(nameof(MinRate), MinRate, 0.25, 4);
        v.InRange(nameof(MaxRate), MaxRate, MinRate, 4);
        v.InRange(nameof(MinNSteps), MinNSteps, -24, 24);
        v.InRange(nameof(MaxNSteps), MaxNSteps, MinNSteps, 24);
        (Stretch with { Rate = 1 }).AddProblems(v);
        v.ThrowIfAny();
    }
}
