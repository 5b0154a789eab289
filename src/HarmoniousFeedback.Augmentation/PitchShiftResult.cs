using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Augmentation;

/// <summary>A pitch-shifted clip and the shift actually applied (the requested one, up to the rational approximation of the pitch factor).</summary>
/// <param name="Clip">The shifted audio: same sample rate, channels and length as the input.</param>
/// <param name="EffectiveNSteps">BinsPerOctave · log2(a/b) for the ratio a/b used.</param>
/// <param name="Ratio">The pitch factor a/b applied by the resampler.</param>
public sealed record PitchShiftResult(AudioClip Clip, double EffectiveNSteps, (int Numerator, int Denominator) Ratio);
