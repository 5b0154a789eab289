using System.Globalization;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Options of <see cref="ReferenceAlignment"/>: the log-mel both recordings are described by (its hop is the frame rate
/// of every output), the chroma the warping path is found on, the DTW step penalty and the windows of the local features.
/// </summary>
public sealed record ReferenceAlignmentOptions
{
    /// <summary>The log-mel (dB, clip-level top_db) of both recordings; 128 bins at 16 kHz, hop 160 by default.</summary>
    public LogMelOptions LogMel { get; init; } = new() { Mel = new MelSpectrogramOptions { NMels = 128 } };

    /// <summary>FFT size of the chroma the path is computed on (its hop is the log-mel's). Default 2048.</summary>
    public int ChromaNFft { get; init; } = 2048;

    /// <summary>
    /// The pitch-class profile of the path and of the three chroma features: <see cref="PitchProfile.Chroma"/> (default,
    /// librosa chroma_stft) or <see cref="PitchProfile.Crp"/> (CRP: timbre removed, Müller &amp; Ewert 2010; its values
    /// are signed and unit-length, so the path uses them without <see cref="ChromaCompression"/>).
    /// </summary>
    public PitchProfile PitchProfile { get; init; } = PitchProfile.Chroma;

    /// <summary>
    /// Trailing-tail trim of the path (dB, 1 – 120; null = off, the default): each recording is aligned only up to its
    /// last frame within this many dB of its loudest, and the performance frames after that continue the path at slope 1
    /// from its end (clamped to the reference's last frame). Release and reverb tails differ far more between instruments
    /// and rooms than the notes do; without the trim both-ends-anchored DTW squeezes a long tail onto a short one.
    /// </summary>
    public double? TailDb { get; init; }

    /// <summary>δ, the DTW penalty on a non-diagonal step (cosine-distance units). Default 0.1: discourages stalls on sustained chords.</summary>
    public double StepPenalty { get; init; } = 0.1;

    /// <summary>γ of the logarithmic chroma compression log(1 + γ·c) before the path is computed (Müller's CLP chroma). Default 100.</summary>
    public double ChromaCompression { get; init; } = 100;

    /// <summary>Half-width (s) of the moving average over the path's chroma vectors. Default 0.05.</summary>
    public double ChromaSmoothingSeconds { get; init; } = 0.05;

    /// <summary>Half-width (s) of the running median that smooths π before the tempo ratio is measured (a stall followed by a jump is not a tempo change). Default 0.25.</summary>
    public double PathMedianSeconds { get; init; } = 0.25;

    /// <summary>Window (s) over which the local tempo ratio is measured. Default 1.</summary>
    public double TempoWindowSeconds { get; init; } = 1.0;

    /// <summary>Window (s) of the moving average the timing residual is measured against. Default 0.5.</summary>
    public double ResidualWindowSeconds { get; init; } = 0.5;

    /// <summary>Window (s) of the local level spread (dynamic contrast). Default 1.</summary>
    public double ContrastWindowSeconds { get; init; } = 1.0;

    public int SampleRate => LogMel.Mel.SampleRate;
    public int HopLength => LogMel.Mel.HopLength;

    /// <summary>A frame more than this many dB below the clip's loudest counts as silent for the path. Default 60.</summary>
    public double SilenceDb { get; init; } = 60;

    /// <summary>The chroma options (librosa chroma_stft defaults) with <see cref="ChromaNFft"/> at the log-mel's rate and hop.</summary>
    public ChromaOptions Chroma => new() { Stft = new SpectrogramOptions { SampleRate = SampleRate, NFft = ChromaNFft, HopLength = HopLength } };

    /// <summary>The CRP chroma options (<see cref="CrpChromaOptions"/> defaults) with <see cref="ChromaNFft"/> at the log-mel's rate and hop.</summary>
    public CrpChromaOptions Crp => new() { Stft = new SpectrogramOptions { SampleRate = SampleRate, NFft = ChromaNFft, HopLength = HopLength } };

    public void Validate()
    {
        var v = new OptionsValidator(nameof(ReferenceAlignmentOptions));
        LogMel.AddProblems(v);
        v.Check(LogMel.TopDb is > 0, $"LogMel.TopDb = {LogMel.TopDb?.ToString(CultureInfo.InvariantCulture) ?? "null"} must be > 0 (the normalised log-mel is (dB − max)/TopDb + 1)");
        v.Check(ChromaNFft >= 2 && ChromaNFft % 2 == 0, $"ChromaNFft = {ChromaNFft} must be an even number >= 2");
        v.InRange(nameof(StepPenalty), StepPenalty, 0, 10);
        v.InRange(nameof(ChromaCompression), ChromaCompression, 0, 1e6);
        v.InRange(nameof(ChromaSmoothingSeconds), ChromaSmoothingSeconds, 0, 5);
        v.InRange(nameof(PathMedianSeconds), PathMedianSeconds, 0, 30);
        v.InRange(nameof(SilenceDb), SilenceDb, 1, 200);
        if (TailDb is double tail) v.InRange(nameof(TailDb), tail, 1, 120);
        v.InRange(nameof(TempoWindowSeconds), TempoWindowSeconds, 0.05, 30);
        v.InRange(nameof(ResidualWindowSeconds), ResidualWindowSeconds, 0.05, 30);
        v.InRange(nameof(ContrastWindowSeconds), ContrastWindowSeconds, 0.05, 30);
        v.ThrowFeatureIfAny();
    }
}
