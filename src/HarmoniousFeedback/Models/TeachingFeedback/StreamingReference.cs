using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>A reference prepared once per <see cref="StreamingFeedback"/> run (<see cref="StreamingFeedback.Prepare"/>).</summary>
public sealed class StreamingReference
{
    internal StreamingReference(ReferenceFeatures features, ReferenceLocator locator, Midi.MidiScore? score, float[]? pitchPower)
    {
        Features = features;
        Locator = locator;
        Score = score;
        PitchPower = pitchPower;
    }

    /// <summary>The rendering's alignment frames.</summary>
    public ReferenceFeatures Features { get; }

    /// <summary>Where each window is searched for.</summary>
    public ReferenceLocator Locator { get; }

    /// <summary>The score (a model with note features), else null.</summary>
    public Midi.MidiScore? Score { get; }

    /// <summary>The rendering's semitone-band energies before dB (<see cref="PitchSpectrogram.Power"/>; a model with note features), else null.</summary>
    internal float[]? PitchPower { get; }
}
