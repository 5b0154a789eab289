using System.Globalization;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Hyperparameters of <see cref="FeedbackIntegration"/> (HFI): how many refinement iterations, the size of each
/// feedback dimension's node state, the weight of the reward term and the initial step of the adaptive update.
/// docs/feedback.md gives the formulas.
/// </summary>
public sealed record FeedbackIntegrationOptions
{
    /// <summary>K, the refinement iterations (graph propagation + adaptive update each), 1 – 16. Default 2 (ablated over {1, 2, 4}).</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>D, the hidden size of a feedback dimension's node in the graph, 1 – 256. Default 16.</summary>
    public int NodeDim { get; init; } = 16;

    /// <summary>β, the weight of the reward penalty Σₖ max(0, −rₖ) in the HFI objective, 0 – 10. Default 0.1.</summary>
    public double RewardWeight { get; init; } = 0.1;

    /// <summary>η₀, the initial step of <see cref="AdaptiveFeedbackUpdate"/> (η = σ(ρ), ρ initialised to logit η₀), in (0, 1). Default 0.5.</summary>
    public double InitialStep { get; init; } = 0.5;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(FeedbackIntegrationOptions));
        v.InRange(nameof(Iterations), Iterations, 1, 16);
        v.InRange(nameof(NodeDim), NodeDim, 1, 256);
        v.InRange(nameof(RewardWeight), RewardWeight, 0, 10);
        v.Check(InitialStep is > 0 and < 1, $"InitialStep = {InitialStep.ToString(CultureInfo.InvariantCulture)} must be in (0, 1)");
        v.ThrowIfAny();
    }
}
