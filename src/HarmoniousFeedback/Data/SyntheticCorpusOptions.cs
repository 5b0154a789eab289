using System.Globalization;

namespace HarmoniousFeedback.Data;

/// <summary>Options of <see cref="SyntheticCorpus"/>.</summary>
public sealed record SyntheticCorpusOptions
{
    /// <summary>Number of pieces (4 – 100,000); classes get ⌊N/4⌋ or ⌈N/4⌉ pieces each. Default 400.</summary>
    public int Clips { get; init; } = 400;

    /// <summary>Seed of every random choice; equal seeds give identical corpora on every machine. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Segment length in seconds (1 – 10); a piece lasts a whole number of segments. Default 3.</summary>
    public double SegmentSeconds { get; init; } = 3;

    /// <summary>Fewest segments per piece (1 – 20). Default 4 (12 s).</summary>
    public int MinSegments { get; init; } = 4;

    /// <summary>Most segments per piece (MinSegments – 20). Default 5 (15 s).</summary>
    public int MaxSegments { get; init; } = 5;

    /// <summary>
    /// Scale of the per-piece noise on every cue (0 – 3). 0 makes cues a deterministic function of the latent
    /// valence/arousal (easy); 1 (default) gives overlapping classes; larger values make the task harder.
    /// </summary>
    public double CueNoise { get; init; } = 1.0;

    /// <summary>Smallest number of pieces per song (1 – 20). Default 2.</summary>
    public int MinSongSize { get; init; } = 2;

    /// <summary>Largest number of pieces per song (MinSongSize – 20). Default 4.</summary>
    public int MaxSongSize { get; init; } = 4;

    /// <summary>Fraction of pieces (0 – 1) whose label is swapped with a piece of another class and song, so some songs mix quadrants (as in EMOPIA). Default 0.10.</summary>
    public double MixedFraction { get; init; } = 0.10;

    /// <summary>Fraction of songs in the train split (0 – 1). Default 0.7.</summary>
    public double TrainFraction { get; init; } = 0.7;

    /// <summary>Fraction of songs in the validation split (0 – 1 − TrainFraction); the rest is test. Default 0.15.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(SyntheticCorpusOptions));
        v.InRange(nameof(Clips), Clips, 4, 100_000);
        v.InRange(nameof(SegmentSeconds), SegmentSeconds, 1, 10);
        v.InRange(nameof(MinSegments), MinSegments, 1, 20);
        v.InRange(nameof(MaxSegments), MaxSegments, MinSegments, 20);
        v.InRange(nameof(CueNoise), CueNoise, 0, 3);
        v.InRange(nameof(MinSongSize), MinSongSize, 1, 20);
        v.InRange(nameof(MaxSongSize), MaxSongSize, MinSongSize, 20);
        v.InRange(nameof(MixedFraction), MixedFraction, 0, 1);
        v.InRange(nameof(TrainFraction), TrainFraction, 0, 1);
        v.InRange(nameof(ValidationFraction), ValidationFraction, 0, 1 - TrainFraction);
        v.ThrowIfAny();
    }

    /// <summary>Invariant-culture description (recorded as the dataset source).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"synthetic:clips={Clips};seed={Seed};seg={SegmentSeconds};segs={MinSegments}-{MaxSegments};noise={CueNoise};song={MinSongSize}-{MaxSongSize};mixed={MixedFraction};split={TrainFraction}/{ValidationFraction};v{SyntheticCorpus.Version}");
}
