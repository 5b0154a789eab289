using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// Everything a registered model needs to build its trainer for one unit besides its own options: the input columns
/// (one per feature view, in the order the experiment lists them), the label and group columns, the unit's seed and
/// where to report epochs. The trainer it builds is an ordinary pipeline estimator: <c>Fit</c> trains on the unit's
/// training rows, the fitted transformer's <c>Transform</c> adds <c>Score</c> and <c>PredictedLabel</c> to the test rows.
/// </summary>
public sealed record TrainerSetup
{
    /// <summary>The feature views, in the experiment's order (at least one).</summary>
    public required IReadOnlyList<ModelInput> Inputs { get; init; }

    /// <summary>String class labels (the training target; never an input).</summary>
    public string LabelColumn { get; init; } = "Label";

    /// <summary>Group (song) ids, for validation splits that keep a song on one side; null when there are none.</summary>
    public string? GroupColumn { get; init; } = "Group";

    /// <summary>The unit's seed: every stochastic part of training derives from it.</summary>
    public int Seed { get; init; }

    /// <summary>Receives one report per epoch (iterative trainers; training curves).</summary>
    public IProgress<EpochReport>? Observer { get; init; }
}
