using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// One performance as the HFN reads it: its normalised log-mel [T × M] and, with the reference stream, the reference
/// log-mel aligned to it [T × M] and the alignment features [T × K] (<see cref="ReferenceAlignment"/>) — every matrix
/// with one row per performance frame, frame times in <see cref="FeatureMatrix.FrameTimes"/> — and, optionally, the clip's
/// note comparison with the score N [Q] (<see cref="ScoreInformedComparison"/>, the view <c>score-notes</c>), read by a
/// network built with note features (<see cref="HarmoniousFeedbackNetwork.NoteFeatures"/>).
/// </summary>
public sealed record HfnExample(FeatureMatrix Student, FeatureMatrix? Reference, FeatureMatrix? Alignment, float[]? Notes = null)
{
    /// <summary>Frames (rows of <see cref="Student"/>).</summary>
    public int Frames => Student.Rows;

    /// <summary>Seconds between frames (from the frame times; 0.01 when there is a single frame).</summary>
    public double Hop => Student.Rows > 1 ? Student.FrameTimes[1] - Student.FrameTimes[0] : 0.01;

    /// <summary>The example's inputs from one <see cref="ReferenceAlignmentResult"/>.</summary>
    public static HfnExample From(ReferenceAlignmentResult a, float[]? notes = null) => new(a.Performance, a.AlignedReference, a.Features, notes);
}
