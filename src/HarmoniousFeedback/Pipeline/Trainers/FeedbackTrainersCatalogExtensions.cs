using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>The HFN / HFN–HFI trainers on <c>ctx.MulticlassClassification.Trainers</c> (also the registry kinds <c>hfn</c>, <c>hfn-hfi</c>).</summary>
public static class FeedbackTrainersCatalogExtensions
{
    /// <summary>
    /// HFN–HFI (or plain HFN with <c>network.Integration = null</c>) on the log-mel column <paramref name="studentColumn"/>,
    /// the aligned reference <paramref name="referenceColumn"/> and the alignment features <paramref name="alignmentColumn"/>
    /// (null for the no-reference ablation), with the teaching-feedback targets in <see cref="FeedbackColumns"/>.
    /// Defaults: the published network and training options; the seed comes from the context.
    /// </summary>
    public static FeedbackTrainer HarmoniousFeedback(this MulticlassTrainersCatalog c, string studentColumn = "LogMel", string? referenceColumn = "ReferenceLogMel",
        string? alignmentColumn = "Alignment", HarmoniousFeedbackNetworkOptions? network = null, HfnTrainingOptions? training = null,
        string labelColumn = "Label", string? groupColumn = "Group", IProgress<EpochReport>? observer = null)
    {
        var n = network ?? new HarmoniousFeedbackNetworkOptions { ReferenceStream = referenceColumn is not null };
        return new FeedbackTrainer(new FeedbackTrainerColumns(studentColumn, referenceColumn, alignmentColumn) { Label = labelColumn, Group = groupColumn },
            n, training ?? new HfnTrainingOptions(), c.Context.NextComponentSeed())
        { Observer = observer };
    }
}
