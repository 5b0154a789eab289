using System.Globalization;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>Options of <see cref="FeedbackCorpus.Build"/>: how references are cut, how many renditions, which rules.</summary>
public sealed record FeedbackCorpusOptions
{
    /// <summary>Seed of every random choice (piece selection, rendition plans, ids). Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>
    /// Length of a reference excerpt in reference seconds (2 – 60). Default 6: two of the model's 3 s windows, room for a
    /// 1.5 – 2.5 s local deviation beside a clean passage, and for a tempo drift to build up. Student renditions last
    /// longer or shorter when their tempo deviates.
    /// </summary>
    public double ExcerptSeconds { get; init; } = 6;

    /// <summary>Excerpts cut from each source piece (1 – 16), spread evenly over it. Default 1.</summary>
    public int ExcerptsPerPiece { get; init; } = 1;

    /// <summary>An excerpt with fewer notes is skipped (1 – 1000). Default 8.</summary>
    public int MinNotes { get; init; } = 8;

    /// <summary>Use at most this many source pieces (≥ 1), chosen one per group in a seeded order, then a second per group, …; null = all.</summary>
    public int? MaxPieces { get; init; }

    /// <summary>How renditions are drawn (count, intensities, spans, natural variability).</summary>
    public RenditionPlanOptions Plan { get; init; } = new();

    /// <summary>The labelling rules.</summary>
    public FeedbackLabelRules Rules { get; init; } = new();

    /// <summary>Renditions are processed on this many threads (1 – 256). Default the processor count; the result does not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(FeedbackCorpusOptions));
        v.InRange(nameof(ExcerptSeconds), ExcerptSeconds, 2, 60);
        v.InRange(nameof(ExcerptsPerPiece), ExcerptsPerPiece, 1, 16);
        v.InRange(nameof(MinNotes), MinNotes, 1, 1000);
        if (MaxPieces is { } m) v.InRange(nameof(MaxPieces), m, 1, int.MaxValue);
        v.InRange(nameof(Threads), Threads, 1, 256);
        v.ThrowIfAny();
        Plan.Validate();
        Rules.Validate();
    }

    /// <summary>Everything that changes the corpus, as one invariant-culture string (threads excluded).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"feedback-v{FeedbackCorpus.Version};seed={Seed};excerpt={ExcerptSeconds:R}x{ExcerptsPerPiece};minNotes={MinNotes};maxPieces={MaxPieces?.ToString(CultureInfo.InvariantCulture) ?? "all"};{Plan};rules:{Rules}");
}
