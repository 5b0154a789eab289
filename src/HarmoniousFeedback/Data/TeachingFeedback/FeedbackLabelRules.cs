using System.Globalization;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// The documented constants of the labelling rules (<see cref="FeedbackLabeler"/>). Every per-dimension error e over a
/// scope becomes a score s = 1 − clamp((e − tolerance)/(fullError − tolerance), 0, 1): 1 up to the tolerance (no audible
/// issue), 0 at the full error. docs/datasets.md ("Teaching-feedback corpus") gives the rules with these defaults.
/// </summary>
public sealed record FeedbackLabelRules
{
    /// <summary>Length of the scoring windows in seconds (the model's input windows), 0.5 – 30. Default 3.</summary>
    public double WindowSeconds { get; init; } = 3;

    /// <summary>Hop between scoring windows in seconds (0.05 – WindowSeconds). Default 0.5.</summary>
    public double WindowHop { get; init; } = 0.5;

    /// <summary>A dimension is the dominant issue only when its score is below this (0 – 1). Default 0.7.</summary>
    public double DominantThreshold { get; init; } = 0.7;

    /// <summary>Salience duration scale τ_s (s): salience w = (v/127)·min(1, D/τ_s), D the clean sounding duration. Default 0.25.</summary>
    public double SalienceSeconds { get; init; } = 0.25;

    /// <summary>Weight of an in-key wrong or extra note relative to an out-of-key one (0 – 1). Default 0.75.</summary>
    public double InKeyWeight { get; init; } = 0.75;

    /// <summary>Salience-weighted wrong-note fraction at which the pitch score is 0. Default 0.3.</summary>
    public double PitchFullError { get; init; } = 0.3;

    /// <summary>Salience-weighted missed fraction at which the completeness score is 0. Default 0.35.</summary>
    public double CompletenessFullError { get; init; } = 0.35;

    /// <summary>RMS planted onset displacement (s) below which rhythm scores 1. Default 0.01.</summary>
    public double RhythmTolerance { get; init; } = 0.01;

    /// <summary>RMS planted onset displacement (s) at which rhythm scores 0. Default 0.07.</summary>
    public double RhythmFullError { get; init; } = 0.07;

    /// <summary>Mean |ln λ| of the planted stretch below which tempo scores 1. Default 0.02 (2 %).</summary>
    public double TempoTolerance { get; init; } = 0.02;

    /// <summary>Mean |ln λ| at which tempo scores 0. Default ln 1.25 ≈ 0.223 (25 % off).</summary>
    public double TempoFullError { get; init; } = Math.Log(1.25);

    /// <summary>Level in dB per decade of velocity: L(v) = DbPerVelocityDecade·log10(v/127). Default 36 (the builtin synthesizer's A(v) = (v/127)^1.8).</summary>
    public double DbPerVelocityDecade { get; init; } = 36;

    /// <summary>Mean |ΔL| (dB) below which the level part of dynamics scores 1. Default 1.</summary>
    public double LevelToleranceDb { get; init; } = 1;

    /// <summary>Mean |ΔL| (dB) at which dynamics scores 0. Default 8.</summary>
    public double LevelFullErrorDb { get; init; } = 8;

    /// <summary>|ln(σ_played/σ_clean)| of the level spread below which the contrast part scores 1. Default 0.1.</summary>
    public double ContrastTolerance { get; init; } = 0.1;

    /// <summary>|ln(σ_played/σ_clean)| at which dynamics scores 0. Default ln 4 ≈ 1.39 (contrast a quarter or four times).</summary>
    public double ContrastFullError { get; init; } = Math.Log(4);

    /// <summary>Clean level spread (dB) below which contrast is not judged (too little dynamics to flatten). Default 1.</summary>
    public double MinContrastDb { get; init; } = 1;

    /// <summary>Sounding durations are compared after clamping to [DurationFloor, DurationCap] s. Default 0.03.</summary>
    public double DurationFloor { get; init; } = 0.03;

    /// <summary>Upper clamp of sounding durations (s): a piano note has decayed ≥ 10 dB after 1 s at middle C (τ₁ = 0.35 s). Default 1.</summary>
    public double DurationCap { get; init; } = 1.0;

    /// <summary>Mean |ln(D_played/D_clean)| below which articulation scores 1. Default 0.05.</summary>
    public double ArticulationTolerance { get; init; } = 0.05;

    /// <summary>Mean |ln(D_played/D_clean)| at which articulation scores 0. Default ln 2.5 ≈ 0.92.</summary>
    public double ArticulationFullError { get; init; } = Math.Log(2.5);

    /// <summary>Tone: weight of the mean log tempo ratio (faster → higher). Default 1.5.</summary>
    public double ToneTempoWeight { get; init; } = 1.5;

    /// <summary>Tone: weight per dB of mean level change (louder → higher). Default 0.05.</summary>
    public double ToneLevelWeight { get; init; } = 0.05;

    /// <summary>Tone: weight of the mean log duration ratio (shorter → higher). Default 0.3.</summary>
    public double ToneArticulationWeight { get; init; } = 0.3;

    /// <summary>Sentiment: weight of the pitch error 1 − s_pitch (wrong notes sound sour). Default 0.5.</summary>
    public double SentimentPitchWeight { get; init; } = 0.5;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(FeedbackLabelRules));
        v.InRange(nameof(WindowSeconds), WindowSeconds, 0.5, 30);
        v.InRange(nameof(WindowHop), WindowHop, 0.05, WindowSeconds);
        v.InRange(nameof(DominantThreshold), DominantThreshold, 0, 1);
        v.InRange(nameof(SalienceSeconds), SalienceSeconds, 0.001, 10);
        v.InRange(nameof(InKeyWeight), InKeyWeight, 0, 1);
        v.InRange(nameof(PitchFullError), PitchFullError, 1e-3, 1);
        v.InRange(nameof(CompletenessFullError), CompletenessFullError, 1e-3, 1);
        v.InRange(nameof(RhythmTolerance), RhythmTolerance, 0, 1);
        v.InRange(nameof(RhythmFullError), RhythmFullError, RhythmTolerance + 1e-6, 10);
        v.InRange(nameof(TempoTolerance), TempoTolerance, 0, 1);
        v.InRange(nameof(TempoFullError), TempoFullError, TempoTolerance + 1e-6, 10);
        v.InRange(nameof(DbPerVelocityDecade), DbPerVelocityDecade, 1, 100);
        v.InRange(nameof(LevelToleranceDb), LevelToleranceDb, 0, 60);
        v.InRange(nameof(LevelFullErrorDb), LevelFullErrorDb, LevelToleranceDb + 1e-6, 100);
        v.InRange(nameof(ContrastTolerance), ContrastTolerance, 0, 5);
        v.InRange(nameof(ContrastFullError), ContrastFullError, ContrastTolerance + 1e-6, 10);
        v.InRange(nameof(MinContrastDb), MinContrastDb, 0, 60);
        v.InRange(nameof(DurationFloor), DurationFloor, 1e-3, 1);
        v.InRange(nameof(DurationCap), DurationCap, DurationFloor, 60);
        v.InRange(nameof(ArticulationTolerance), ArticulationTolerance, 0, 5);
        v.InRange(nameof(ArticulationFullError), ArticulationFullError, ArticulationTolerance + 1e-6, 10);
        v.InRange(nameof(ToneTempoWeight), ToneTempoWeight, 0, 10);
        v.InRange(nameof(ToneLevelWeight), ToneLevelWeight, 0, 1);
        v.InRange(nameof(ToneArticulationWeight), ToneArticulationWeight, 0, 10);
        v.InRange(nameof(SentimentPitchWeight), SentimentPitchWeight, 0, 2);
        v.ThrowIfAny();
    }

    /// <summary>Every constant as one invariant-culture string (recorded in the label file).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"win={WindowSeconds:R}/{WindowHop:R};thr={DominantThreshold:R};sal={SalienceSeconds:R};inkey={InKeyWeight:R};pitch={PitchFullError:R};" +
        $"compl={CompletenessFullError:R};rhythm={RhythmTolerance:R}/{RhythmFullError:R};tempo={TempoTolerance:R}/{TempoFullError:R};" +
        $"db={DbPerVelocityDecade:R};level={LevelToleranceDb:R}/{LevelFullErrorDb:R};contrast={ContrastTolerance:R}/{ContrastFullError:R}/{MinContrastDb:R};" +
        $"dur={DurationFloor:R}/{DurationCap:R};artic={ArticulationTolerance:R}/{ArticulationFullError:R};" +
        $"tone={ToneTempoWeight:R}/{ToneLevelWeight:R}/{ToneArticulationWeight:R};sent={SentimentPitchWeight:R}");
}
