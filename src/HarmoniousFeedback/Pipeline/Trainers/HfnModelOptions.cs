using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>The options of the <c>hfn</c> and <c>hfn-hfi</c> registry kinds: the network (with its ablation switches) and its training.</summary>
public sealed record HfnModelOptions(HarmoniousFeedbackNetworkOptions Network, HfnTrainingOptions Training)
{
    /// <summary>Read the clip-level note comparison with the score (view <c>score-notes</c>) into the shared representation (with the reference stream only).</summary>
    public bool Notes { get; init; }

    public void Validate()
    {
        var problems = new List<string>();
        foreach (var validate in new Action[] { Network.Validate, Training.Validate })
        {
            try { validate(); }
            catch (OptionsValidationException e) { problems.AddRange(e.Problems); }
        }
        if (Notes && !Network.ReferenceStream) problems.Add("notes = true needs the reference stream (the note comparison is part of it); set reference = true or notes = false");
        if (problems.Count > 0) throw new OptionsValidationException(nameof(HfnModelOptions), problems);
    }
}
