namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// The small variability of any human performance, applied identically to the clean twin and the played notes so
/// that it never counts as a deviation (a model cannot learn "any change from the reference = an issue"):
/// <code>
///   tempo     u = s·t,  s ~ U(1 − TempoSpread, 1 + TempoSpread)                 (default ±2 %)
///   onset     onset' = max(0, onset + δ),   δ ~ N(0, OnsetJitterSeconds²) clipped at ±3σ   (default σ = 8 ms)
///   velocity  v' = clamp(round(v + N(0, VelocityJitter²)), 1, 127)                   (default σ = 3 steps)
///   duration  D' = D·exp(N(0, DurationLogSigma²))                                    (default σ = 0.05, ≈ ±5 %)
/// </code>
/// Defaults follow the spread of skilled piano performance: onset asynchrony/jitter of 10–20 ms (Repp 1996; Goebl
/// 2001 reports melody lead ≈ 20–30 ms) and velocity variation of a few steps; they sit below the smallest planted
/// amounts (jitter 15 ms, tempo 6 %, velocity 15 steps). The tempo factor moves the timeline but not
/// <see cref="StudentPerformance.PlantedTempo"/>. Apply it once, before planting deviations.
/// </summary>
public sealed record NaturalVariability
{
    /// <summary>No variability at all (a mechanical rendition).</summary>
    public static NaturalVariability None { get; } = new() { TempoSpread = 0, OnsetJitterSeconds = 0, VelocityJitter = 0, DurationLogSigma = 0 };

    /// <summary>Half-width of the uniform global tempo factor (0 – 0.2). Default 0.02.</summary>
    public double TempoSpread { get; init; } = 0.02;

    /// <summary>Standard deviation of the onset displacement in seconds (0 – 0.05). Default 0.008.</summary>
    public double OnsetJitterSeconds { get; init; } = 0.008;

    /// <summary>Standard deviation of the velocity change in MIDI steps (0 – 20). Default 3.</summary>
    public double VelocityJitter { get; init; } = 3;

    /// <summary>Standard deviation of ln(duration factor) (0 – 0.5). Default 0.05.</summary>
    public double DurationLogSigma { get; init; } = 0.05;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(NaturalVariability));
        v.InRange(nameof(TempoSpread), TempoSpread, 0, 0.2);
        v.InRange(nameof(OnsetJitterSeconds), OnsetJitterSeconds, 0, 0.05);
        v.InRange(nameof(VelocityJitter), VelocityJitter, 0, 20);
        v.InRange(nameof(DurationLogSigma), DurationLogSigma, 0, 0.5);
        v.ThrowIfAny();
    }

    /// <summary>Applies the variability with draws from the stream (<paramref name="seed"/>, "natural").</summary>
    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        ArgumentNullException.ThrowIfNull(performance);
        Validate();
        var r = PerformanceRandom.For(seed, "natural");
        double s = 1 + r.Uniform(-TempoSpread, TempoSpread);
        var notes = performance.Notes.ToArray();
        for (int i = 0; i < notes.Length; i++)
        {
            double delta = Math.Clamp(OnsetJitterSeconds * r.NextGaussian(), -3 * OnsetJitterSeconds, 3 * OnsetJitterSeconds);
            double dv = VelocityJitter * r.NextGaussian();
            double factor = Math.Exp(DurationLogSigma * r.NextGaussian());
            MidiNote Vary(MidiNote n)
            {
                double on = Math.Max(0, n.Onset + delta);
                double off = Math.Min(Math.Max(on + 0.01, on + (n.Offset - n.Onset) * factor), Math.Max(performance.End, on + 0.01));
                return n with { Onset = on, Offset = off, PedalOffset = off, Velocity = DeviationSupport.ClampVelocity(n.Velocity + dv) };
            }
            notes[i] = notes[i] with { Clean = Vary(notes[i].Clean), Played = Vary(notes[i].Played) };
        }
        return performance.With(notes: notes).Warp(new ConstantWarp(s), planted: false, natural: true);
    }
}
