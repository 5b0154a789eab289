namespace HarmoniousFeedback.Features;

/// <summary>Options of <see cref="ScoreInformedComparison"/> (docs/feedback.md, "Score-informed note comparison").</summary>
public sealed record ScoreInformedOptions
{
    /// <summary>The defaults with the semitone spectrogram on the frames of <paramref name="alignment"/> (its rate and hop; n_fft 2048): what the <c>score-notes</c> view and <c>hfb feedback</c> compute.</summary>
    public static ScoreInformedOptions ForAlignment(ReferenceAlignmentOptions alignment) => new()
    {
        Pitch = new PitchSpectrogramOptions { Stft = new SpectrogramOptions { SampleRate = alignment.SampleRate, NFft = 2048, HopLength = alignment.HopLength } },
    };

    /// <summary>The semitone-band spectrogram the notes are read from; its hop must equal the alignment's. Default n_fft 2048, hop 160 at 16 kHz.</summary>
    public PitchSpectrogramOptions Pitch { get; init; } = new();

    /// <summary>A note's attack is searched within ± this many seconds of its aligned onset. Default 0.1.</summary>
    public double OnsetSearchSeconds { get; init; } = 0.1;

    /// <summary>Rise lag: the attack is P(t, p) − P(t − lag, p), in seconds. Default 0.03.</summary>
    public double RiseLagSeconds { get; init; } = 0.03;

    /// <summary>
    /// A note is heard (present) when its band rises by at least this many dB near its aligned onset and is a spectral peak
    /// there (<see cref="NeighbourMarginDb"/>). Default 1 (version 9; 6 before: on clean EMOPIA renditions that left a
    /// quarter of the notes of the score's own rendering and a third of a FluidSynth rendition's unheard, more than a
    /// missed-notes deviation removes — docs/feedback.md, "Hearing the notes").
    /// </summary>
    public double HeardRiseDb { get; init; } = 1;

    /// <summary>
    /// A heard note's attack is read — its time (timing measures), level (dynamics) and damping (durations) — only when its
    /// band rises by at least this many dB (a clear attack; a smaller rise's peak frame is no attack time). At least
    /// <see cref="HeardRiseDb"/>. Default 6.
    /// </summary>
    public double AttackRiseDb { get; init; } = 6;

    /// <summary>A heard note's band must be within this many dB of its louder neighbour band at the attack (else the rise is a neighbouring key's leakage). Default 3.</summary>
    public double NeighbourMarginDb { get; init; } = 3;

    /// <summary>A rise of at least this many dB in a band that is a spectral peak is a played onset (for notes the score does not have). Default 9.</summary>
    public double OnsetRiseDb { get; init; } = 9;

    /// <summary>A played onset must also stand this many dB above its band's peak over the previous <see cref="RecentSeconds"/> (a sustained tone's beating is not an onset). Default 3.</summary>
    public double OnsetAboveRecentDb { get; init; } = 3;

    /// <summary>Look-back of <see cref="OnsetAboveRecentDb"/>, seconds. Default 0.15.</summary>
    public double RecentSeconds { get; init; } = 0.15;

    /// <summary>A played onset counts only within this many dB of its frame's loudest band. Default 20.</summary>
    public double OnsetRangeDb { get; init; } = 20;

    /// <summary>A played onset is explained by a score note of a harmonic pitch within ± this many seconds. Default 0.15.</summary>
    public double ExplainSeconds { get; init; } = 0.15;

    /// <summary>Local tempo and timing residuals use the note groups within ± this many score seconds. Default 1.</summary>
    public double LocalFitSeconds { get; init; } = 1.0;

    /// <summary>A note has stopped sounding where its band has fallen this many dB below its peak after the attack (the STFT's
    /// 128 ms window smears a damper over a dozen frames, so a fall, not a knee, is what can be timed). Default 10.</summary>
    public double OffsetFallDb { get; init; } = 10;

    /// <summary>Sounding durations are compared after clamping to [DurationFloor, DurationCap] s, as the labelling rules do. Default 0.03.</summary>
    public double DurationFloor { get; init; } = 0.03;

    /// <summary>Upper clamp of sounding durations (s). Default 1.</summary>
    public double DurationCap { get; init; } = 1.0;

    /// <summary>Lengths (s) of the windows in which a sudden level change is looked for. Default 1 and 2.</summary>
    public IReadOnlyList<double> SuddenWindowSeconds { get; init; } = [1.0, 2.0];

    public void Validate()
    {
        Pitch.Validate();
        var v = new OptionsValidator(nameof(ScoreInformedOptions));
        v.InRange(nameof(OnsetSearchSeconds), OnsetSearchSeconds, 0.01, 1);
        v.InRange(nameof(RiseLagSeconds), RiseLagSeconds, 0.005, 0.5);
        v.InRange(nameof(HeardRiseDb), HeardRiseDb, 0, 60);
        v.InRange(nameof(AttackRiseDb), AttackRiseDb, HeardRiseDb, 60);
        v.InRange(nameof(OnsetRiseDb), OnsetRiseDb, 0, 60);
        v.InRange(nameof(NeighbourMarginDb), NeighbourMarginDb, 0, 60);
        v.InRange(nameof(OnsetAboveRecentDb), OnsetAboveRecentDb, -60, 60);
        v.InRange(nameof(RecentSeconds), RecentSeconds, 0.01, 2);
        v.InRange(nameof(OnsetRangeDb), OnsetRangeDb, 1, 120);
        v.InRange(nameof(ExplainSeconds), ExplainSeconds, 0.01, 1);
        v.InRange(nameof(LocalFitSeconds), LocalFitSeconds, 0.1, 10);
        v.InRange(nameof(OffsetFallDb), OffsetFallDb, 1, 60);
        v.InRange(nameof(DurationFloor), DurationFloor, 1e-3, 1);
        v.InRange(nameof(DurationCap), DurationCap, DurationFloor, 60);
        v.Check(SuddenWindowSeconds is { Count: > 0 } && SuddenWindowSeconds.All(w => w is >= 0.1 and <= 30),
                "SuddenWindowSeconds must hold at least one length in [0.1, 30] s");
        v.ThrowFeatureIfAny();
    }
}
