using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// One window's features (frame times from 0), the part of the reference it was located in, whether the match was good
/// enough (<see cref="StreamingFeedbackOptions.MaxMatchCost"/>, <see cref="StreamingFeedbackOptions.MinContrast"/>) and the
/// window's transposition contrast against the part found (null when the cost already failed); no span without a reference.
/// </summary>
public readonly record struct StreamedWindow(HfnExample Example, ReferenceSpan? Span, bool Matched, double? Contrast = null)
{
    /// <summary>Where the note comparison's local measures found their contrasts in the window (its own times, from 0); null without note features.</summary>
    public IReadOnlyList<Features.LocalContrast>? NoteWindows { get; init; }
}
