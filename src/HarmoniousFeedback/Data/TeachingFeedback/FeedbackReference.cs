using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A reference excerpt of a built (not yet prepared) corpus: the score a student is compared with.</summary>
/// <param name="Id">Opaque id ("ref0000").</param>
/// <param name="Group">Opaque group ("g0000"), one per source group (song / game-piece / motif family).</param>
/// <param name="SourceId">The source clip's id.</param>
/// <param name="SourceGroup">The source clip's group.</param>
/// <param name="Split">The source clip's split.</param>
/// <param name="Start">Start of the excerpt in the source piece (s).</param>
/// <param name="Seconds">Length of the excerpt (s).</param>
/// <param name="Score">The excerpt (<see cref="MidiExcerpt.Cut"/>).</param>
/// <param name="IntendedValence">Valence the piece intends, in [−1, 1] (source value, else quadrant sign).</param>
/// <param name="IntendedArousal">Arousal the piece intends, in [−1, 1].</param>
/// <param name="Quadrant">"Q1" … "Q4" when the source is labelled so, else null.</param>
public sealed record FeedbackReference(
    string Id, string Group, string SourceId, string SourceGroup, Split? Split, double Start, double Seconds, MidiScore Score,
    double IntendedValence, double IntendedArousal, string? Quadrant);
