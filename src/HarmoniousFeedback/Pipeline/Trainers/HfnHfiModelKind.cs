using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Registry entry <c>hfn-hfi</c>: the full method — HFN with Harmonious Feedback Integration (graph propagation over
/// the feedback dimensions, adaptive update iterated K times, reward across iterations; <see cref="FeedbackIntegration"/>).
/// </summary>
public sealed class HfnHfiModelKind : HfnModelKind
{
    public override string Name => "hfn-hfi";
    public override string Summary => "HFN + Harmonious Feedback Integration (graph over the 6 dimensions, adaptive update ×K, reward) — the toolkit's namesake method (docs/feedback.md)";
    protected override bool WithIntegration => true;
}
