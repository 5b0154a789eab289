using System.Security.Cryptography;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// The built-in synthesizer with a different voicing for every score (<see cref="VariedPianoOptions"/>): timbre
/// augmentation for training data, so a model that compares a performance with its score meets many instruments'
/// decay, brightness, inharmonicity and velocity curves instead of one. The voicing of a score is a pure function of
/// (<see cref="VariedPianoOptions.Seed"/>, SHA-256 of its MIDI bytes) — <see cref="VoicingFor"/> — so renders are
/// reproducible and cacheable (<see cref="CacheKey"/> names the family; the MIDI bytes pick the member).
/// With <see cref="VariedPianoOptions.Spread"/> = 1.5 around the default voicing, <see cref="PianoSynthesizerOptions.Upright"/>
/// lies outside the family (its B is 3×, its partial damping 2.1× the default's), so a held-out <c>builtin-upright</c>
/// stays an unseen instrument.
/// </summary>
public sealed class VariedPianoSynthesizer : IMidiRenderer
{
    /// <summary>Bumped whenever the way a voicing is drawn changes.</summary>
    public const int Version = 2;   // 2: uneven voicing per key (KeyLevelSpreadDb)

    public VariedPianoSynthesizer(VariedPianoOptions? options = null)
    {
        Options = options ?? new VariedPianoOptions();
        Options.Validate();
    }

    public VariedPianoOptions Options { get; }

    public string Name => "builtin-piano-varied";

    public int SampleRate => Options.Base.SampleRate;

    public string CacheKey => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Name}/v{Version}/synth-v{PianoSynthesizer.Version}/spread={Options.Spread:R};keys={Options.KeyLevelSpreadDb:R};seed={Options.Seed};base={Options.Base.ToKeyString()}");

    /// <inheritdoc/>
    public AudioClip Render(MidiScore score, byte[]? midiBytes)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new PianoSynthesizer(VoicingFor(midiBytes ?? MidiWriter.ToBytes(score))).Render(score);
    }

    /// <summary>The voicing this family gives the score whose SMF bytes are <paramref name="midiBytes"/> (see <see cref="VariedPianoOptions"/> for the draw).</summary>
    public PianoSynthesizerOptions VoicingFor(ReadOnlySpan<byte> midiBytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(midiBytes, hash);
        var rng = new SplitMix64(SplitMix64.StreamState(Options.Seed, "varied-piano", BitConverter.ToInt64(hash)));
        var b = Options.Base;
        double s = Options.Spread;
        double Scale(double value, double min, double max) => Math.Clamp(value * Math.Pow(s, 2 * rng.NextDouble() - 1), min, max);
        int kLo = Math.Max(1, (int)Math.Round(b.PartialCount / s)), kHi = Math.Min(64, (int)Math.Round(b.PartialCount * s));
        return b with
        {
            PartialCount = kLo + rng.NextInt(kHi - kLo + 1),
            Inharmonicity = Scale(b.Inharmonicity, 0, 0.01),
            PromptDecaySeconds = Scale(b.PromptDecaySeconds, 0.01, 10),
            AftersoundDecaySeconds = Scale(b.AftersoundDecaySeconds, 0.1, 60),
            AftersoundWeight = Scale(b.AftersoundWeight, 0, 1),
            DecayOctaves = Scale(b.DecayOctaves, 0.25, 10),
            PartialDamping = Scale(b.PartialDamping, 0, 50),
            VelocityExponent = Scale(b.VelocityExponent, 0.5, 4),
            SoftSpectralSlope = Scale(b.SoftSpectralSlope, 0, 6),
            LoudSpectralSlope = Scale(b.LoudSpectralSlope, 0, 6),
            ReleaseSeconds = Scale(b.ReleaseSeconds, 0.005, 5),
            Gain = Scale(b.Gain, 1e-4, 10),
            KeyLevelSpreadDb = Options.KeyLevelSpreadDb * rng.NextDouble(),
            KeyLevelSeed = (long)rng.NextUInt64(),
        };
    }
}
