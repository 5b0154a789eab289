using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// What <see cref="StreamingFeedback"/> says about one window of a recording. Times are in the recording (s): the
/// example's frame times, the prediction's frame times and so its issues are shifted by <paramref name="Start"/>.
/// </summary>
/// <param name="Index">0-based window number.</param>
/// <param name="Start">Window start in the recording (s).</param>
/// <param name="End">Window end (s).</param>
/// <param name="Reference">Where the window was found in the reference (s and mean DTW cost); null for a model without the reference stream.</param>
/// <param name="ReferenceMatched">True when the window was found in the reference by DTW; false when the best match cost more than <see cref="StreamingFeedbackOptions.MaxMatchCost"/> or aligned hardly better with its part than with that part transposed (<see cref="StreamingFeedbackOptions.MinContrast"/>) and the window was assumed to be played in time (or without the reference stream).</param>
/// <param name="Example">The window's model inputs (log-mel, aligned reference, alignment features).</param>
/// <param name="Prediction">The model's output for the window.</param>
public sealed record WindowFeedback(int Index, double Start, double End, ReferenceSpan? Reference, bool ReferenceMatched, HfnExample Example, HfnPrediction Prediction)
{
    /// <summary>
    /// The loudest sample of the window (dB re full scale, <see cref="PerformanceCheck.PeakDbfs"/>). Below
    /// <see cref="PerformanceCheck.SilenceDbfs"/> the window is <see cref="Silent"/>: nothing was played, and
    /// <see cref="Prediction"/> (the model run on silence) says nothing about the performance.
    /// </summary>
    public double PeakDbfs { get; init; }

    /// <summary>The window's transposition contrast against the part it was found in (<see cref="StreamedWindow.Contrast"/>); null without the reference stream or when the match cost already failed.</summary>
    public double? Contrast { get; init; }

    /// <summary>
    /// The window's issues placed by <see cref="StreamingFeedback.Locator"/> from its note comparison (recording times, like
    /// the rest); null when the stream has no locator or the model no note features — the report then takes the frames'.
    /// </summary>
    public IReadOnlyList<FeedbackSpan>? NoteIssues { get; init; }

    /// <summary>True when nothing was played in the window (<see cref="PeakDbfs"/> &lt; <see cref="PerformanceCheck.SilenceDbfs"/>).</summary>
    public bool Silent => PeakDbfs < PerformanceCheck.SilenceDbfs;
}
