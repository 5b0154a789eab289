using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="AudioRhythmExtractor"/>. The onset envelope is <see cref="OnsetStrength"/> on <see cref="LogMel"/>
/// (sample rate and hop set the envelope's frame rate, 16,000/160 = 100 frames/s by default); the segmentation fields mean
/// what the <see cref="LldOptions"/> fields of the same names mean (<see cref="AlignedWith"/> copies them). Peak picking
/// follows <c>librosa.onset.onset_detect</c>'s defaults, given here in seconds and converted to frames as librosa does
/// (<c>floor(seconds·sr/hop)</c>, +1 frame for the post windows).
/// </summary>
public sealed record AudioRhythmOptions
{
    /// <summary>The log-mel spectrogram the onset strength is taken from; its sample rate is the clip's required rate.</summary>
    public LogMelOptions LogMel { get; init; } = new();

    /// <summary>Lag (frames) of the spectral difference, librosa's <c>lag</c>, in [1, 100]. Default 1.</summary>
    public int Lag { get; init; } = 1;

    public double SegmentSeconds { get; init; } = 3.0;
    public double OverlapSeconds { get; init; }
    public LastSegmentPolicy LastSegment { get; init; } = LastSegmentPolicy.KeepIfLongEnough;
    public double MinLastSegmentFraction { get; init; } = 0.5;

    /// <summary>Tempo range, prior and local window (<see cref="TempoEstimator"/>).</summary>
    public TempoOptions Tempo { get; init; } = new();

    /// <summary>librosa <c>pre_max</c> (s): a peak is the maximum of the frames from this long before to <see cref="PostMaxSeconds"/> after it. Default 0.03.</summary>
    public double PreMaxSeconds { get; init; } = 0.03;
    /// <summary>librosa <c>post_max</c> (s). Default 0.</summary>
    public double PostMaxSeconds { get; init; }
    /// <summary>librosa <c>pre_avg</c> (s): the local mean a peak must exceed by <see cref="Delta"/> starts this long before it. Default 0.10.</summary>
    public double PreAvgSeconds { get; init; } = 0.10;
    /// <summary>librosa <c>post_avg</c> (s). Default 0.10.</summary>
    public double PostAvgSeconds { get; init; } = 0.10;
    /// <summary>librosa <c>wait</c> (s): minimum distance after a peak before the next. Default 0.03.</summary>
    public double WaitSeconds { get; init; } = 0.03;
    /// <summary>librosa <c>delta</c>: threshold above the local mean, on the envelope normalised to [0, 1] per clip. Default 0.07.</summary>
    public double Delta { get; init; } = 0.07;

    public int SampleRate => LogMel.Mel.SampleRate;

    /// <summary>These options with the sample rate, hop and segmentation of <paramref name="lld"/> (same frame grid and segments as the LLD).</summary>
    public AudioRhythmOptions AlignedWith(LldOptions lld) => this with
    {
        LogMel = LogMel with { Mel = LogMel.Mel with { SampleRate = lld.SampleRate, HopLength = lld.Mfcc.Mel.HopLength } },
        SegmentSeconds = lld.SegmentSeconds,
        OverlapSeconds = lld.OverlapSeconds,
        LastSegment = lld.LastSegment,
        MinLastSegmentFraction = lld.MinLastSegmentFraction,
    };

    public void Validate()
    {
        static string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        var v = LogMel.AddProblems(new OptionsValidator(nameof(AudioRhythmOptions)));
        v.InRange(nameof(Lag), Lag, 1, 100);
        v.Check(SegmentSeconds > 0 && SegmentSeconds <= 3600, $"SegmentSeconds = {F(SegmentSeconds)} must be in (0, 3600]");
        v.Check(OverlapSeconds >= 0 && OverlapSeconds < SegmentSeconds, $"OverlapSeconds = {F(OverlapSeconds)} must be in [0, SegmentSeconds = {F(SegmentSeconds)})");
        v.Check(Enum.IsDefined(LastSegment), $"LastSegment = {LastSegment} must be one of {string.Join(", ", Enum.GetNames<LastSegmentPolicy>())}");
        v.InRange(nameof(MinLastSegmentFraction), MinLastSegmentFraction, 0, 1);
        Tempo.AddProblems(v);
        foreach (var (name, value) in new[] { (nameof(PreMaxSeconds), PreMaxSeconds), (nameof(PostMaxSeconds), PostMaxSeconds), (nameof(PreAvgSeconds), PreAvgSeconds), (nameof(PostAvgSeconds), PostAvgSeconds), (nameof(WaitSeconds), WaitSeconds) })
            v.InRange(name, value, 0, 10);
        v.InRange(nameof(Delta), Delta, 0, 1);
        v.ThrowFeatureIfAny();
    }
}
