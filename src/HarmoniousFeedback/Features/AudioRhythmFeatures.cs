namespace HarmoniousFeedback.Features;

/// <summary>
/// Transcription-free rhythm features of one audio clip (<see cref="AudioRhythmExtractor"/>): per segment
/// <c>[segments × 9]</c> (row times = segment starts, the LLD segments) and per clip <c>[1 × 9]</c>, plus the onset
/// envelope itself <c>[frames × 1]</c> (the curve a sequence model may read) and the detected onset times (s).
/// </summary>
public sealed record AudioRhythmFeatures(FeatureMatrix Segments, FeatureMatrix Clip, FeatureMatrix Envelope, double[] OnsetTimes);
