namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// Options of <see cref="VariedPianoSynthesizer"/>: a family of voicings of the built-in synthesizer around
/// <see cref="Base"/>, one drawn per score. Each multiplicative parameter θ of the base voicing is scaled by a
/// log-uniform factor, <c>θ' = θ · Spread^u</c> with <c>u ~ U(−1, 1)</c> (so <c>θ' ∈ [θ/Spread, θ·Spread]</c>),
/// clamped to <see cref="PianoSynthesizerOptions"/>' valid range: inharmonicity B, the decay constants τ₁, τ₂, the
/// aftersound weight w, the decay's pitch scaling, the partial damping r, the velocity exponent γ, both spectral slopes
/// β, the release τ_r and the gain. The partial count is drawn uniformly from
/// <c>[round(K/Spread), round(K·Spread)]</c>; the voicing's unevenness between keys
/// (<see cref="PianoSynthesizerOptions.KeyLevelSpreadDb"/>) uniformly from [0, <see cref="KeyLevelSpreadDb"/>] with a seed of its
/// own. Sample rate, pedal, attack and limiter are kept.
/// </summary>
public sealed record VariedPianoOptions
{
    /// <summary>The voicing the family is centred on (validated). Default: <see cref="PianoSynthesizerOptions"/>' defaults.</summary>
    public PianoSynthesizerOptions Base { get; init; } = new();

    /// <summary>Largest factor by which a parameter moves from <see cref="Base"/> (1 – 4; 1 = the base voicing for every score). Default 1.5.</summary>
    public double Spread { get; init; } = 1.5;

    /// <summary>Largest per-key level spread (dB, 0 – 12) a voicing draws: each key offset by up to ± that much. Default 4.</summary>
    public double KeyLevelSpreadDb { get; init; } = 4;

    /// <summary>Seed of the family: the voicing of a score is a function of (Seed, SHA-256 of its MIDI bytes). Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <exception cref="OptionsValidationException">A value outside its range (every problem listed).</exception>
    public void Validate()
    {
        Base.Validate();
        var v = new OptionsValidator(nameof(VariedPianoOptions));
        v.InRange(nameof(Spread), Spread, 1, 4);
        v.InRange(nameof(KeyLevelSpreadDb), KeyLevelSpreadDb, 0, 12);
        v.ThrowIfAny();
    }
}
