namespace HarmoniousFeedback.Cli.Commands;

/// <summary>What <c>hfb feedback</c> decides the dominant issue and the dimension scores from (<c>--decide-from</c>).</summary>
public enum FeedbackDecision
{
    /// <summary>Everything the model reads: the spectrogram, the comparison with the rendered score and the note comparison.</summary>
    All,

    /// <summary>
    /// The note comparison alone (<see cref="Models.TeachingFeedback.HarmoniousFeedbackModel.Predict"/>'s <c>notesOnly</c>):
    /// the spectrogram paths read every difference of instrument as a deviation, the note comparison much less so.
    /// </summary>
    Notes,
}
