using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="TempoEstimator"/> (tempo from the autocorrelation of an onset envelope). Names follow
/// <c>librosa.feature.tempo</c>: <see cref="StartBpm"/> and <see cref="StdBpm"/> are the centre (bpm) and width (octaves) of
/// its log-normal prior; <see cref="MaxTempo"/> its upper bound (librosa: 320).
/// </summary>
public sealed record TempoOptions
{
    /// <summary>Lowest tempo considered (bpm), in [10, MaxTempo). Default 30 (a 2 s beat period).</summary>
    public double MinTempo { get; init; } = 30;

    /// <summary>Highest tempo considered (bpm), in (MinTempo, 1000]. Default 320 (librosa's <c>max_tempo</c>).</summary>
    public double MaxTempo { get; init; } = 320;

    /// <summary>Centre of the log-normal tempo prior (bpm), librosa's <c>start_bpm</c>. Default 120.</summary>
    public double StartBpm { get; init; } = 120;

    /// <summary>Width of the prior in octaves, librosa's <c>std_bpm</c> (&gt; 0). Default 1.</summary>
    public double StdBpm { get; init; } = 1.0;

    /// <summary>
    /// Length (s) of the window a local tempo is estimated in: centred on the segment's centre, at least the segment,
    /// clipped to the clip (librosa's <c>win_length</c> = 384 frames ≈ 8.9 s at 22,050/512). Default 6 s (two 3 s segments).
    /// </summary>
    public double LocalWindowSeconds { get; init; } = 6.0;

    /// <summary>
    /// Width (octaves) of the prior of a local estimate, centred on the clip's tempo, so that a local estimate does not jump
    /// an octave away from the clip's beat level (&gt; 0). Default 0.5.
    /// </summary>
    public double LocalStdOctaves { get; init; } = 0.5;

    public void Validate() => AddProblems(new OptionsValidator(nameof(TempoOptions))).ThrowFeatureIfAny();

    internal OptionsValidator AddProblems(OptionsValidator v)
    {
        static string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        v.Check(MinTempo >= 10 && MinTempo < MaxTempo, $"MinTempo = {F(MinTempo)} must be in [10, MaxTempo = {F(MaxTempo)})");
        v.Check(MaxTempo > MinTempo && MaxTempo <= 1000, $"MaxTempo = {F(MaxTempo)} must be in (MinTempo = {F(MinTempo)}, 1000]");
        v.Check(StartBpm > 0 && double.IsFinite(StartBpm), $"StartBpm = {F(StartBpm)} must be a finite number > 0");
        v.Check(StdBpm > 0 && double.IsFinite(StdBpm), $"StdBpm = {F(StdBpm)} must be a finite number > 0");
        v.Check(LocalWindowSeconds > 0 && LocalWindowSeconds <= 600, $"LocalWindowSeconds = {F(LocalWindowSeconds)} must be in (0, 600]");
        v.Check(LocalStdOctaves > 0 && double.IsFinite(LocalStdOctaves), $"LocalStdOctaves = {F(LocalStdOctaves)} must be a finite number > 0");
        return v;
    }
}
