namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>Outcome of <see cref="FeedbackCorpusPreparer.Prepare"/>: counts per action over all renders (students and references).</summary>
public sealed record FeedbackPrepareResult(Manifest Manifest, FeedbackLabelsFile Labels, IReadOnlyDictionary<PrepareAction, int> Actions, bool Changed, TimeSpan Elapsed)
{
    /// <summary>True when nothing was rendered, copied or rewritten.</summary>
    public bool UpToDate => !Changed && Actions.Where(a => a.Key != PrepareAction.UpToDate).All(a => a.Value == 0);

    public int Count(PrepareAction a) => Actions.TryGetValue(a, out var n) ? n : 0;
}
