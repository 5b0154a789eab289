using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>A student rendition of a built (not yet prepared) corpus: plan, student score and labels.</summary>
/// <param name="Id">Opaque id ("r00000").</param>
/// <param name="Reference">The reference it renders.</param>
/// <param name="Plan">The planned rendition (seed, deviation specs, <see cref="Midi.Deviations.StudentPerformance"/>).</param>
/// <param name="Score">The student's score (<see cref="Midi.Deviations.StudentPerformance.ToScore"/>).</param>
/// <param name="Labels">Labels by construction (<see cref="FeedbackLabeler.Label"/>).</param>
public sealed record FeedbackRendition(string Id, FeedbackReference Reference, PlannedRendition Plan, MidiScore Score, RenditionLabels Labels);
