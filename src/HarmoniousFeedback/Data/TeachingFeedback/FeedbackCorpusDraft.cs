namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// A built teaching-feedback corpus in memory (<see cref="FeedbackCorpus.Build"/>): references and renditions with
/// labels, before rendering. <see cref="FeedbackCorpusPreparer.Prepare"/> renders and stores it.
/// </summary>
public sealed record FeedbackCorpusDraft(
    string Name, string Source, FeedbackCorpusOptions Options, IReadOnlyList<FeedbackReference> References, IReadOnlyList<FeedbackRendition> Renditions);
