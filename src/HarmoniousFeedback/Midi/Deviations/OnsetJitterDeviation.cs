using static HarmoniousFeedback.Midi.Deviations.DeviationSupport;

namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// Onset jitter (dimension rhythm): every written note in the scope moves by an independent Gaussian displacement,
/// keeping its length (chord notes spread apart, the beat becomes uneven).
/// <code>
///   σ = MinSigma + x·(MaxSigma − MinSigma)                   x = Intensity (default 15 … 80 ms)
///   δᵢ ~ N(0, σ²),   onsetᵢ' = clamp(onsetᵢ + δᵢ, 0, end − 10 ms),   offsetᵢ' = offsetᵢ + (onsetᵢ' − onsetᵢ)
/// </code>
/// Amounts: <c>sigma_seconds</c> (σ), <c>candidates</c>.
/// </summary>
public sealed record OnsetJitterDeviation : IPerformanceDeviation
{
    public DeviationKind Kind => DeviationKind.OnsetJitter;
    public double Intensity { get; init; } = 0.5;
    public TimeRange? Span { get; init; }

    /// <inheritdoc/>
    public IPerformanceDeviation WithSpan(TimeRange? span) => this with { Span = span };

    /// <summary>Standard deviation in seconds at intensity 0 (0 – 0.5). Default 0.015.</summary>
    public double MinSigma { get; init; } = 0.015;

    /// <summary>Standard deviation at intensity 1 (MinSigma – 0.5). Default 0.08.</summary>
    public double MaxSigma { get; init; } = 0.08;

    public double Sigma => Lerp(MinSigma, MaxSigma, Intensity);

    public void Validate()
    {
        var v = new OptionsValidator(nameof(OnsetJitterDeviation));
        CheckCommon(v, Intensity, Span);
        v.InRange(nameof(MinSigma), MinSigma, 0, 0.5);
        v.InRange(nameof(MaxSigma), MaxSigma, MinSigma, 0.5);
        v.ThrowIfAny();
    }

    public bool IsApplicable(StudentPerformance performance) => Candidates(performance, Span ?? performance.WholeClip).Count > 0;

    public StudentPerformance Apply(StudentPerformance performance, long seed)
    {
        var scope = Scope(this, performance);
        var r = PerformanceRandom.For(seed, "onset_jitter");
        var candidates = Candidates(performance, scope);
        var notes = performance.Notes.ToArray();
        double sigma = Sigma;
        foreach (int i in candidates)
        {
            var n = notes[i].Played;
            double on = Math.Clamp(n.Onset + sigma * r.NextGaussian(), 0, Math.Max(0, performance.End - 0.01));
            double shift = on - n.Onset;
            notes[i] = notes[i] with { Played = n with { Onset = on, Offset = n.Offset + shift, PedalOffset = n.Offset + shift } };
        }
        var record = Record(this, scope, candidates.Select(i => notes[i].Id), ("sigma_seconds", sigma), ("candidates", candidates.Count));
        return performance.With(notes: notes, planted: record);
    }
}
