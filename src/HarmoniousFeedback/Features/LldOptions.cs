using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="LldExtractor"/>, the piano-emotion method's low-level-descriptor segment features. All
/// per-frame extractors share one frame grid: frame i is centred on sample <c>i·HopLength</c>.
/// </summary>
public sealed record LldOptions
{
    public int SampleRate { get; init; } = 16000;
    /// <summary>MFCC options (the descriptor uses 18 coefficients; NMfcc must be 18). Their NFft/HopLength/WinLength set the frame grid.</summary>
    public MfccOptions Mfcc { get; init; } = new();
    /// <summary>Energy/ZCR framing; its HopLength must equal the MFCC hop.</summary>
    public FrameOptions Frame { get; init; } = new();
    /// <summary>Pitch options; null = defaults at <see cref="SampleRate"/> with the MFCC hop.</summary>
    public PitchOptions? Pitch { get; init; }
    /// <summary>Formant options; null = defaults at <see cref="SampleRate"/> with the MFCC hop.</summary>
    public FormantOptions? Formants { get; init; }
    /// <summary>Segment length (s); the method uses 3 s (2 s variant).</summary>
    public double SegmentSeconds { get; init; } = 3.0;
    /// <summary>Overlap between consecutive segments (s), in [0, SegmentSeconds).</summary>
    public double OverlapSeconds { get; init; }
    public LastSegmentPolicy LastSegment { get; init; } = LastSegmentPolicy.KeepIfLongEnough;
    /// <summary>Minimum tail length, as a fraction of a segment, kept under <see cref="LastSegmentPolicy.KeepIfLongEnough"/>.</summary>
    public double MinLastSegmentFraction { get; init; } = 0.5;

    public PitchOptions EffectivePitch => Pitch ?? new PitchOptions { SampleRate = SampleRate, HopLength = Mfcc.Mel.HopLength };
    public FormantOptions EffectiveFormants => Formants ?? new FormantOptions { SampleRate = SampleRate, HopLength = Mfcc.Mel.HopLength };

    public void Validate()
    {
        var v = new OptionsValidator(nameof(LldOptions));
        v.Check(Mfcc.NMfcc == 18, $"NMfcc = {Mfcc.NMfcc} must be 18 for the 50-dim descriptor");
        v.Check(Mfcc.Mel.SampleRate == SampleRate && Frame.SampleRate == SampleRate && EffectivePitch.SampleRate == SampleRate && EffectiveFormants.SampleRate == SampleRate,
            $"SampleRate = {SampleRate} must equal the sample rate of every sub-extractor (MFCC {Mfcc.Mel.SampleRate}, frame {Frame.SampleRate}, pitch {EffectivePitch.SampleRate}, formants {EffectiveFormants.SampleRate})");
        int hop = Mfcc.Mel.HopLength;
        v.Check(Frame.HopLength == hop && EffectivePitch.HopLength == hop && EffectiveFormants.HopLength == hop,
            $"HopLength: energy/zcr ({Frame.HopLength}), pitch ({EffectivePitch.HopLength}) and formants ({EffectiveFormants.HopLength}) must equal the MFCC hop {hop} (one frame grid)");
        v.Check(Mfcc.Mel.Center && Frame.Center, "Center must be true for MFCC and energy/zcr (frames centred on i·hop)");
        v.Check(SegmentSeconds > 0 && SegmentSeconds <= 3600, $"SegmentSeconds = {SegmentSeconds.ToString(CultureInfo.InvariantCulture)} must be in (0, 3600]");
        v.Check(OverlapSeconds >= 0 && OverlapSeconds < SegmentSeconds, $"OverlapSeconds = {OverlapSeconds.ToString(CultureInfo.InvariantCulture)} must be in [0, SegmentSeconds = {SegmentSeconds.ToString(CultureInfo.InvariantCulture)})");
        v.InRange(nameof(MinLastSegmentFraction), MinLastSegmentFraction, 0, 1);
        v.ThrowFeatureIfAny();
        Mfcc.Validate(); Frame.Validate(); EffectivePitch.Validate(); EffectiveFormants.Validate();
    }
}
