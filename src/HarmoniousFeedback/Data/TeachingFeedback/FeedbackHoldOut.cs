namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// A held-out evaluation split of a teaching-feedback corpus (<see cref="FeedbackDataset.HoldOut"/>): training clips are
/// from the other groups rendered by the other renderers; test clips are from the held-out groups rendered by the
/// held-out renderer. Clips of held-out groups by training renderers and of training groups by the held-out renderer are
/// in neither, so no test piece and no test renderer is ever seen in training.
/// </summary>
public sealed record FeedbackHoldOut(IReadOnlyList<Clip> Train, IReadOnlyList<Clip> Test, IReadOnlyList<string> TestGroups, string TestRenderer);
