using System.Globalization;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// How <see cref="StreamingFeedback"/> cuts a recording into windows and finds each window in the reference.
/// </summary>
public sealed record StreamingFeedbackOptions
{
    /// <summary>Window length (s), 0.5 – 60. Default 3 (the window; <c>hfb feedback --stream</c> uses the model's training clip length instead when the model records it).</summary>
    public double WindowSeconds { get; init; } = 3;

    /// <summary>Seconds between window starts, in (0, <see cref="WindowSeconds"/>]; null = <see cref="WindowSeconds"/> (windows side by side, every sample in exactly one window).</summary>
    public double? HopSeconds { get; init; }

    /// <summary>b, the search half-width (s) of <see cref="Features.ReferenceLocator"/> around the expected reference position, 0 – 60. Default 2: the performance may drift 2 s from the expected position per window.</summary>
    public double SearchSeconds { get; init; } = 2;

    /// <summary>
    /// A window whose best path in the reference has a mean cosine cost above this (<see cref="Features.ReferenceSpan.Cost"/>,
    /// 0 = same chroma) is taken as not found — e.g. a window of wrong notes only — and assumed to be played in time: its
    /// span is [e, e + window length] from the expected position e. In [0, 2]. Default 0.25, set from the streaming test
    /// (StreamingFeedbackTests): windows of the score played by the same synthesizer cost 0.002, a window whose every note
    /// is a tritone off 0.32. Not calibrated on real recordings; a recording that matches nowhere is then read in time.
    /// </summary>
    public double MaxMatchCost { get; init; } = 0.25;

    /// <summary>
    /// A window found at a cost within <see cref="MaxMatchCost"/> must also align with its part of the reference better than
    /// with that part transposed (<see cref="Features.ReferenceAlignment.Contrast(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/>:
    /// 1 − c_0 / median_k c_k, on librosa chroma, pairs of frames) by at least this much, or it is taken as not found like a
    /// costly one: the subsequence search finds a cheap part for almost anything (white noise: 0.04–0.13). At most 1; −∞
    /// turns the check off. Default 0.2, from <c>Run</c> on 20 EMOPIA pieces rendered by FluidSynth against their own score
    /// rendered by builtin (244 of 246 windows pass, 5th percentile 0.54), against another piece's (98 of 246 pass, against
    /// 234 by the cost alone) and on white noise (none of 50 passes, against all by the cost) — docs/feedback.md.
    /// </summary>
    public double MinContrast { get; init; } = 0.2;

    /// <summary>A last window shorter than this (s) is not analysed: a tail of the recording shorter than this after the last full window is dropped (e.g. the release of the last note). Default 1.</summary>
    public double MinWindowSeconds { get; init; } = 1;

    /// <summary>The effective hop (s).</summary>
    public double Hop => HopSeconds ?? WindowSeconds;

    public void Validate()
    {
        static string F(double? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "null";
        var v = new OptionsValidator(nameof(StreamingFeedbackOptions));
        v.Check(WindowSeconds is >= 0.5 and <= 60, $"WindowSeconds = {F(WindowSeconds)} must be in [0.5, 60] s");
        v.Check(HopSeconds is null || (HopSeconds > 0 && HopSeconds <= WindowSeconds), $"HopSeconds = {F(HopSeconds)} must be in (0, WindowSeconds = {F(WindowSeconds)}] s");
        v.Check(SearchSeconds is >= 0 and <= 60, $"SearchSeconds = {F(SearchSeconds)} must be in [0, 60] s");
        v.Check(MaxMatchCost is >= 0 and <= 2, $"MaxMatchCost = {F(MaxMatchCost)} must be in [0, 2]");
        v.Check(MinContrast <= 1 && !double.IsNaN(MinContrast), $"MinContrast = {F(MinContrast)} must be at most 1 (−∞ turns the check off)");
        v.Check(MinWindowSeconds > 0 && MinWindowSeconds <= WindowSeconds, $"MinWindowSeconds = {F(MinWindowSeconds)} must be in (0, WindowSeconds = {F(WindowSeconds)}] s");
        v.ThrowIfAny();
    }
}
