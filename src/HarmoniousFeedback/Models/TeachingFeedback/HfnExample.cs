using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// One performance as the HFN reads it: its normalised log-mel [T × M] and, with the reference stream, the reference
/// log-mel aligned to it [T × M] and the alignment features [T × K] (<see cref="ReferenceAlignment"/>) — every matrix
/// with one row per performance frame, frame times in <see cref="FeatureMatrix.FrameTimes"/>.
/// </summary>
public sealed record HfnExample(FeatureMatrix Student, FeatureMatrix? Reference, FeatureMatrix? Alignment)
{
    /// <summary>Frames (rows of <see cref="Student"/>).</summary>
    public int Frames => Student.Rows;

    /// <summary>Seconds between frames (from the frame times; 0.01 when there is a single frame).</summary>
    public double Hop => Student.Rows > 1 ? Student.FrameTimes[1] - Student.FrameTimes[0] : 0.01;

    /// <summary>The example's inputs from one <see cref="ReferenceAlignmentResult"/>.</summary>
    public static HfnExample From(ReferenceAlignmentResult a) => new(a.Performance, a.AlignedReference, a.Features);
}
