namespace HarmoniousFeedback.Midi;

/// <summary>A controller change, kept for CC64 (sustain) and other controllers renderers may honour.</summary>
public readonly record struct ControlChange(double Seconds, int Channel, int Controller, int Value);
