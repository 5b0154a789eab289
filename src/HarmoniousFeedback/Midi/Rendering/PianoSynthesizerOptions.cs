using System.Globalization;

namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// Options of <see cref="PianoSynthesizer"/>. Defaults give a plausible, slightly dark piano at 16 kHz; every time
/// constant is given for middle C (MIDI 60) and scaled with pitch as documented on each property.
/// </summary>
public sealed record PianoSynthesizerOptions
{
    /// <summary>Output sample rate in Hz (8,000 – 192,000). Default 16,000.</summary>
    public int SampleRate { get; init; } = 16_000;

    /// <summary>Maximum number of partials per note (1 – 64); partials at or above 0.45·SampleRate are dropped (band limit).</summary>
    public int PartialCount { get; init; } = 12;

    /// <summary>
    /// String inharmonicity coefficient B (0 – 0.01): partial k sounds at <c>f_k = k·f0·sqrt(1 + B·k²)</c>
    /// (Fletcher, Blackham &amp; Stratton 1962). Real pianos have B ≈ 1e-4 (bass) … 1e-2 (top treble); default 4e-4.
    /// </summary>
    public double Inharmonicity { get; init; } = 4e-4;

    /// <summary>Time constant τ₁ (s) of the fast "prompt sound" decay at middle C (0.01 – 10). Default 0.35 s.</summary>
    public double PromptDecaySeconds { get; init; } = 0.35;

    /// <summary>Time constant τ₂ (s) of the slow "aftersound" decay at middle C (0.1 – 60). Default 3.5 s.</summary>
    public double AftersoundDecaySeconds { get; init; } = 3.5;

    /// <summary>Weight w (0 – 1) of the aftersound in the two-stage envelope <c>(1−w)·e^(−t/τ₁) + w·e^(−t/τ₂)</c>. Default 0.3.</summary>
    public double AftersoundWeight { get; init; } = 0.3;

    /// <summary>
    /// Pitch scaling of the decay: τ₁ and τ₂ are multiplied by <c>2^(−(p−60)/(12·DecayOctaves))</c>, i.e. they halve every
    /// <c>DecayOctaves</c> octaves upwards (0.25 – 10). Default 1.5 (treble notes die away much faster than bass notes).
    /// </summary>
    public double DecayOctaves { get; init; } = 1.5;

    /// <summary>Extra decay rate (1/s) per partial number above the first: partial k decays with an extra <c>e^(−(k−1)·r·t)</c>, darkening the tone over time (0 – 50). Default 1.2.</summary>
    public double PartialDamping { get; init; } = 1.2;

    /// <summary>Loudness curve exponent γ (0.5 – 4): amplitude <c>A(v) = (v/127)^γ</c> for velocity v. Default 1.8 (v 64 ≈ −11 dB re v 127).</summary>
    public double VelocityExponent { get; init; } = 1.8;

    /// <summary>Spectral slope β at velocity 0 (0 – 6): partial amplitude <c>k^(−β(v))</c>. Default 2.4 (soft notes are dull).</summary>
    public double SoftSpectralSlope { get; init; } = 2.4;

    /// <summary>Spectral slope β at velocity 127 (0 – 6); β(v) moves linearly between the two. Default 0.9 (loud notes are bright).</summary>
    public double LoudSpectralSlope { get; init; } = 0.9;

    /// <summary>Honour the sustain pedal: notes sound until <see cref="MidiNote.PedalOffset"/> (true, default) or stop at <see cref="MidiNote.Offset"/>.</summary>
    public bool Pedal { get; init; } = true;

    /// <summary>Damper time constant τ_r (s) after release (0.005 – 5): the sound is multiplied by <c>e^(−(t−t_off)/τ_r)</c>. Default 0.1.</summary>
    public double ReleaseSeconds { get; init; } = 0.1;

    /// <summary>Linear attack ramp length (s) that avoids a click at the onset (0 – 0.1). Default 0.002.</summary>
    public double AttackSeconds { get; init; } = 0.002;

    /// <summary>Master gain applied to the sum of all notes before the limiter (1e-4 – 10). Default 0.12.</summary>
    public double Gain { get; init; } = 0.12;

    /// <summary>
    /// Uneven voicing: each key's level is offset by KeyLevelSpreadDb·u_p dB, u_p ~ U(−1, 1) drawn per MIDI pitch from
    /// <see cref="KeyLevelSeed"/> (a real piano's hammers are never voiced alike, and a sampled piano's keys come from different
    /// recordings). 0 – 12 dB. Default 0 (every key alike).
    /// </summary>
    public double KeyLevelSpreadDb { get; init; }

    /// <summary>Seed of the per-key level offsets of <see cref="KeyLevelSpreadDb"/>.</summary>
    public long KeyLevelSeed { get; init; }

    /// <summary>
    /// Soft-limiter threshold T (0.1 – 1): samples with |x| ≤ T pass unchanged; above it
    /// <c>y = sign(x)·(T + (1−T)·u/(1+u))</c> with <c>u = (|x|−T)/(1−T)</c>, which is continuous with slope 1 at T and approaches 1
    /// only asymptotically (a rational curve, unlike tanh, stays below 1 in float32 even for |x| = 1000).
    /// So loudness differences between clips are kept (no per-clip normalisation) and nothing clips. Default 0.9.
    /// </summary>
    public double LimiterThreshold { get; init; } = 0.9;

    /// <summary>
    /// A second voicing of the built-in synthesizer for renderer hold-out without FluidSynth: more inharmonic (B = 1.2e-3),
    /// fewer partials (10), faster and shorter decay (τ₁ 0.25 s, τ₂ 2 s, w 0.2, τ halving every 1.2 octaves), duller
    /// spectrum (β 3.0 soft … 1.4 loud, partial damping 2.5 /s), flatter velocity curve (γ 1.5), longer release
    /// (0.15 s) and gain 0.16. Not modelled on a particular instrument; it only has to sound different from the default.
    /// </summary>
    public static PianoSynthesizerOptions Upright { get; } = new()
    {
        PartialCount = 10,
        Inharmonicity = 1.2e-3,
        PromptDecaySeconds = 0.25,
        AftersoundDecaySeconds = 2.0,
        AftersoundWeight = 0.2,
        DecayOctaves = 1.2,
        PartialDamping = 2.5,
        VelocityExponent = 1.5,
        SoftSpectralSlope = 3.0,
        LoudSpectralSlope = 1.4,
        ReleaseSeconds = 0.15,
        Gain = 0.16,
    };

    public void Validate()
    {
        var v = new OptionsValidator(nameof(PianoSynthesizerOptions));
        v.InRange(nameof(SampleRate), SampleRate, 8000, 192000);
        v.InRange(nameof(PartialCount), PartialCount, 1, 64);
        v.InRange(nameof(Inharmonicity), Inharmonicity, 0, 0.01);
        v.InRange(nameof(PromptDecaySeconds), PromptDecaySeconds, 0.01, 10);
        v.InRange(nameof(AftersoundDecaySeconds), AftersoundDecaySeconds, 0.1, 60);
        v.InRange(nameof(AftersoundWeight), AftersoundWeight, 0, 1);
        v.InRange(nameof(DecayOctaves), DecayOctaves, 0.25, 10);
        v.InRange(nameof(PartialDamping), PartialDamping, 0, 50);
        v.InRange(nameof(VelocityExponent), VelocityExponent, 0.5, 4);
        v.InRange(nameof(SoftSpectralSlope), SoftSpectralSlope, 0, 6);
        v.InRange(nameof(LoudSpectralSlope), LoudSpectralSlope, 0, 6);
        v.InRange(nameof(ReleaseSeconds), ReleaseSeconds, 0.005, 5);
        v.InRange(nameof(AttackSeconds), AttackSeconds, 0, 0.1);
        v.InRange(nameof(Gain), Gain, 1e-4, 10);
        v.InRange(nameof(KeyLevelSpreadDb), KeyLevelSpreadDb, 0, 12);
        v.InRange(nameof(LimiterThreshold), LimiterThreshold, 0.1, 1);
        v.ThrowIfAny();
    }

    /// <summary>All options as one invariant-culture string (part of the renderer's cache key).</summary>
    public string ToKeyString() => string.Create(CultureInfo.InvariantCulture,
        $"sr={SampleRate};K={PartialCount};B={Inharmonicity:R};t1={PromptDecaySeconds:R};t2={AftersoundDecaySeconds:R};w={AftersoundWeight:R};" +
        $"oct={DecayOctaves:R};pd={PartialDamping:R};g={VelocityExponent:R};bs={SoftSpectralSlope:R};bl={LoudSpectralSlope:R};ped={Pedal};" +
        $"rel={ReleaseSeconds:R};att={AttackSeconds:R};gain={Gain:R};lim={LimiterThreshold:R}")
        + (KeyLevelSpreadDb > 0 ? string.Create(CultureInfo.InvariantCulture, $";keys={KeyLevelSpreadDb:R}/{KeyLevelSeed}") : "");
}
