using System.Globalization;
using System.Numerics.Tensors;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Checks that a recording is something the feedback model can judge, before its report is trusted: that something was
/// played at all (<see cref="PeakDbfs"/> against <see cref="SilenceDbfs"/>) and that what was played follows the score
/// (the DTW path's mean cost per cell against <see cref="DefaultMaxMatchCost"/>, and the transposition contrast against
/// <see cref="DefaultMinContrast"/>). A model trained on performances of
/// the score gives confident but meaningless scores for silence, a test tone or another piece; <c>hfb feedback</c> refuses
/// a silent recording (exit 2), marks a silent <c>--stream</c> window, and warns when the recording does not follow the
/// score (docs/feedback.md, "Does the recording play the score?").
/// </summary>
public static class PerformanceCheck
{
    /// <summary>A recording (or window) whose loudest sample is below this level (dB re full scale, 20·log₁₀ max|x|) is silent: −60 dBFS.</summary>
    public const double SilenceDbfs = -60;

    /// <summary>The loudest sample's level, 20·log₁₀ max_n |x[n]| in dB re full scale (−∞ for no samples or all zeros; NaN samples are skipped).</summary>
    public static double PeakDbfs(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) return double.NegativeInfinity;
        float peak = Math.Abs(TensorPrimitives.MaxMagnitudeNumber(samples));   // the element of largest magnitude, signed
        return float.IsNaN(peak) || peak <= 0 ? double.NegativeInfinity : 20 * Math.Log10(peak);
    }

    /// <summary>True when <paramref name="samples"/> peak below <see cref="SilenceDbfs"/>.</summary>
    public static bool IsSilent(ReadOnlySpan<float> samples) => PeakDbfs(samples) < SilenceDbfs;

    /// <summary>Throws when <paramref name="clip"/> is silent (<see cref="IsSilent"/>): there is nothing to compare with the score.</summary>
    /// <exception cref="AudioFormatException">The recording's loudest sample is below <see cref="SilenceDbfs"/>.</exception>
    public static void ThrowIfSilent(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        double peak = clip.Channels.Max(c => PeakDbfs(c));
        if (peak < SilenceDbfs)
            throw new AudioFormatException(clip.Source, $"the recording is silent: its loudest sample is at {DbText(peak)} (a performance must peak above {DbText(SilenceDbfs)}); nothing to compare with the score");
    }

    /// <summary>
    /// The largest mean path cost (<see cref="ReferenceAlignmentResult.MeanCost"/>) at which a whole recording counts as
    /// playing the score. Chroma: 0.25, the window threshold of <see cref="StreamingFeedbackOptions.MaxMatchCost"/>; CRP
    /// (signed, costs up to 2): 0.6. Measured on the teaching-feedback corpus (40 synthetic pieces, renderers builtin,
    /// builtin-varied, fluidsynth; every third clip): renditions of their own score, including planted wrong notes, reach
    /// at most 0.15 (chroma) and 0.44 (CRP, 30 dB tail); renditions against another piece's score have medians 0.19–0.26
    /// (chroma) and 0.62–0.64 (CRP), so the check catches a wrong score, silence or a non-musical input but not a piece
    /// close in harmony to the score.
    /// </summary>
    public static double DefaultMaxMatchCost(PitchProfile profile) => profile == PitchProfile.Crp ? 0.6 : 0.25;

    /// <summary>
    /// The smallest transposition contrast (<see cref="ReferenceAlignment.Contrast(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/>: 1 − c_0 / median_k c_k) at which a whole
    /// recording counts as playing the score: 0.3 for both profiles. The path cost alone passes white noise (0.07–0.21
    /// against EMOPIA excerpts with chroma) and about half of other pieces; only a performance of the score aligns much
    /// better with it than with its transpositions. Measured (tools/score-match-costs.cs, docs/feedback.md) on 6 s
    /// excerpts of 80 EMOPIA pieces, renditions with and without planted deviations, against the score rendered by builtin:
    /// own score ≥ 0.34 (FluidSynth) and ≥ 0.59 (builtin); another piece's score median ≈ 0, 95th percentile 0.14–0.32;
    /// white noise ≤ 0.03.
    /// </summary>
    public static double DefaultMinContrast(PitchProfile profile) => 0.3;

    /// <summary>A level as text: "-12.3 dBFS", or "−∞ dBFS" for digital silence.</summary>
    public static string DbText(double db) => double.IsNegativeInfinity(db) ? "-inf dBFS" : db.ToString("0.0", CultureInfo.InvariantCulture) + " dBFS";
}
