using System.Globalization;

namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>Options of the beat grid of <see cref="SymbolicFeatureExtractor"/> (see <see cref="BeatGrid"/>).</summary>
public sealed record MetricGridOptions
{
    public MetricGridSource Source { get; init; } = MetricGridSource.Auto;

    /// <summary>Tempo range and priors of the onset-envelope tempo estimate (clip and local).</summary>
    public TempoOptions Tempo { get; init; } = new();

    /// <summary>Frame rate (Hz) of the note-onset envelope the tempo is estimated from, in [20, 1000]. Default 100 (10 ms, librosa's hop at 22,050 Hz is 23 ms).</summary>
    public double EnvelopeRate { get; init; } = 100;

    /// <summary>Standard deviation (s) of the Gaussian that smooths the onset impulses of the envelope, in [0, 0.2]. Default 0.02.</summary>
    public double EnvelopeSmoothingSeconds { get; init; } = 0.02;

    /// <summary>Distance (beats) within which an onset counts as on a grid position, for the <see cref="MetricGridSource.Auto"/> fit test and for matching onsets to beats when refining an estimate, in (0, 0.25). Default 0.03.</summary>
    public double GridFitToleranceBeats { get; init; } = 0.03;

    /// <summary>Fraction of onset clusters that must fit the tempo map for <see cref="MetricGridSource.Auto"/> to use it, in [0, 1]. Default 0.9 (random onsets fit about 0.36).</summary>
    public double GridFitThreshold { get; init; } = 0.9;

    /// <summary>Onsets within this distance (beats) of a beat are matched to it when an estimated grid is refined by least squares, in (0, 0.5). Default 0.1.</summary>
    public double MatchToleranceBeats { get; init; } = 0.1;

    /// <summary>Fewest onset clusters for a grid at all, ≥ 2. Default 4.</summary>
    public int MinOnsets { get; init; } = 4;

    public void Validate() => AddProblems(new OptionsValidator(nameof(MetricGridOptions))).ThrowFeatureIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        static string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        v.Check(Enum.IsDefined(Source), $"Source = {Source} must be one of {string.Join(", ", Enum.GetNames<MetricGridSource>())}");
        Tempo.AddProblems(v);
        v.InRange(nameof(EnvelopeRate), EnvelopeRate, 20, 1000);
        v.InRange(nameof(EnvelopeSmoothingSeconds), EnvelopeSmoothingSeconds, 0, 0.2);
        v.Check(GridFitToleranceBeats > 0 && GridFitToleranceBeats < 0.25, $"GridFitToleranceBeats = {F(GridFitToleranceBeats)} must be in (0, 0.25)");
        v.InRange(nameof(GridFitThreshold), GridFitThreshold, 0, 1);
        v.Check(MatchToleranceBeats > 0 && MatchToleranceBeats < 0.5, $"MatchToleranceBeats = {F(MatchToleranceBeats)} must be in (0, 0.5)");
        v.Check(MinOnsets >= 2, $"MinOnsets = {MinOnsets} must be >= 2");
        return v;
    }
}
