namespace HarmoniousFeedback.Midi;

/// <summary>A time-signature change (numerator / 2^denominatorPower written as the denominator itself).</summary>
public readonly record struct TimeSignature(long Tick, double Seconds, int Numerator, int Denominator);
