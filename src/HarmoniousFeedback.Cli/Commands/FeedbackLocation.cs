namespace HarmoniousFeedback.Cli.Commands;

/// <summary>Where <c>hfb feedback</c> takes the time-localised issues from (<c>--locate-from</c>).</summary>
public enum FeedbackLocation
{
    /// <summary>The model's per-frame scores (<see cref="Models.TeachingFeedback.FeedbackIssues.FromFrames"/>).</summary>
    Frames,

    /// <summary>
    /// The note comparison's windows, read against the training corpus (<see cref="Models.TeachingFeedback.NoteIssueLocator"/>):
    /// the passage where the dominant issue shows most, and any window with strong evidence of its own.
    /// </summary>
    Notes,
}
