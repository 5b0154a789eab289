using System.Globalization;

namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// Options of <see cref="SymbolicFeatureExtractor"/>. The segmentation fields have exactly the meaning of the
/// <see cref="LldOptions"/> fields of the same names and go through the same rule (<see cref="SegmentGrid"/>), so score and
/// performance segments line up with the LLD segments of the clip's rendered audio (rendered audio starts at MIDI time 0);
/// <see cref="AlignedWith"/> copies them from an <see cref="LldOptions"/>.
/// </summary>
public sealed record SymbolicFeatureOptions
{
    /// <summary>Sample rate (Hz) of the audio whose segmentation is reproduced; segment boundaries are whole samples at this rate. Default 16,000 (the LLD default).</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Segment length (s). Default 3 (the piano-emotion method's segments).</summary>
    public double SegmentSeconds { get; init; } = 3.0;

    /// <summary>Overlap between consecutive segments (s), in [0, SegmentSeconds).</summary>
    public double OverlapSeconds { get; init; }

    public LastSegmentPolicy LastSegment { get; init; } = LastSegmentPolicy.KeepIfLongEnough;

    /// <summary>Minimum tail length, as a fraction of a segment, kept under <see cref="LastSegmentPolicy.KeepIfLongEnough"/>.</summary>
    public double MinLastSegmentFraction { get; init; } = 0.5;

    /// <summary>
    /// Notes whose onsets lie within this many seconds of the first onset of a group form one onset cluster (a chord as
    /// played: performed chords spread over a few tens of ms), in [0, 0.2]. Default 0.05.
    /// </summary>
    public double ChordToleranceSeconds { get; init; } = 0.05;

    /// <summary>
    /// Harmony (pitch-class histogram, key, sonorities, sounding fraction) uses the pedal-extended offset
    /// <see cref="Midi.MidiNote.PedalOffset"/> — what is heard — (true, default) or the key release <see cref="Midi.MidiNote.Offset"/>.
    /// </summary>
    public bool HarmonyUsesPedal { get; init; } = true;

    /// <summary>
    /// A sonority (the pitch classes sounding at an onset cluster) includes only notes struck at most this long before it
    /// (s), in (0, 10]: a note held by the pedal for many seconds has decayed (a piano note's prompt sound falls by about
    /// 20 dB within 1–2 s) and should not colour every later chord. Default 1.5.
    /// </summary>
    public double SonorityMaxAgeSeconds { get; init; } = 1.5;

    /// <summary>Smallest cosine between a sonority and its best chord template for a chord label; below it the sonority is "other", in [0, 1]. Default 0.75.</summary>
    public double ChordMinCosine { get; init; } = 0.75;

    /// <summary>CC64 value from which the sustain pedal counts as down, in [1, 127]. Default 64 (the MIDI specification's switch point).</summary>
    public int PedalThreshold { get; init; } = 64;

    /// <summary>Articulation ratios are capped at this value (a note held over many inter-onset intervals), in [1, 100]. Default 4.</summary>
    public double ArticulationCap { get; init; } = 4.0;

    /// <summary>Articulation ratio below which a note counts as staccato, in (0, 1]. Default 0.5.</summary>
    public double StaccatoRatio { get; init; } = 0.5;

    /// <summary>Articulation ratio from which a note counts as legato (held at least until the next onset), in [StaccatoRatio, ArticulationCap]. Default 1.</summary>
    public double LegatoRatio { get; init; } = 1.0;

    /// <summary>The beat grid (tempo map or estimate) and the tempo estimator.</summary>
    public MetricGridOptions Grid { get; init; } = new();

    /// <summary>These options with the segmentation (sample rate, segment length, overlap, tail rule) of <paramref name="lld"/>.</summary>
    public SymbolicFeatureOptions AlignedWith(LldOptions lld) => this with
    {
        SampleRate = lld.SampleRate,
        SegmentSeconds = lld.SegmentSeconds,
        OverlapSeconds = lld.OverlapSeconds,
        LastSegment = lld.LastSegment,
        MinLastSegmentFraction = lld.MinLastSegmentFraction,
    };

    public void Validate()
    {
        static string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        var v = new OptionsValidator(nameof(SymbolicFeatureOptions));
        v.InRange(nameof(SampleRate), SampleRate, 1000, 768000);
        v.Check(SegmentSeconds > 0 && SegmentSeconds <= 3600, $"SegmentSeconds = {F(SegmentSeconds)} must be in (0, 3600]");
        v.Check(OverlapSeconds >= 0 && OverlapSeconds < SegmentSeconds, $"OverlapSeconds = {F(OverlapSeconds)} must be in [0, SegmentSeconds = {F(SegmentSeconds)})");
        v.Check(Enum.IsDefined(LastSegment), $"LastSegment = {LastSegment} must be one of {string.Join(", ", Enum.GetNames<LastSegmentPolicy>())}");
        v.InRange(nameof(MinLastSegmentFraction), MinLastSegmentFraction, 0, 1);
        v.InRange(nameof(ChordToleranceSeconds), ChordToleranceSeconds, 0, 0.2);
        v.Check(SonorityMaxAgeSeconds > 0 && SonorityMaxAgeSeconds <= 10, $"SonorityMaxAgeSeconds = {F(SonorityMaxAgeSeconds)} must be in (0, 10]");
        v.InRange(nameof(ChordMinCosine), ChordMinCosine, 0, 1);
        v.InRange(nameof(PedalThreshold), PedalThreshold, 1, 127);
        v.InRange(nameof(ArticulationCap), ArticulationCap, 1, 100);
        v.Check(StaccatoRatio > 0 && StaccatoRatio <= 1, $"StaccatoRatio = {F(StaccatoRatio)} must be in (0, 1]");
        v.Check(LegatoRatio >= StaccatoRatio && LegatoRatio <= ArticulationCap,
            $"LegatoRatio = {F(LegatoRatio)} must be in [StaccatoRatio = {F(StaccatoRatio)}, ArticulationCap = {F(ArticulationCap)}]");
        Grid.AddProblems(v);
        v.ThrowFeatureIfAny();
    }
}
