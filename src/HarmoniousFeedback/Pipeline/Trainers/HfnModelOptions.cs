using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>The options of the <c>hfn</c> and <c>hfn-hfi</c> registry kinds: the network (with its ablation switches) and its training.</summary>
public sealed record HfnModelOptions(HarmoniousFeedbackNetworkOptions Network, HfnTrainingOptions Training)
{
    public void Validate()
    {
        var problems = new List<string>();
        foreach (var validate in new Action[] { Network.Validate, Training.Validate })
        {
            try { validate(); }
            catch (OptionsValidationException e) { problems.AddRange(e.Problems); }
        }
        if (problems.Count > 0) throw new OptionsValidationException(nameof(HfnModelOptions), problems);
    }
}
