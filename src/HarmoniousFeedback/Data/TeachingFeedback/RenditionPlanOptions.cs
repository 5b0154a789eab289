using System.Globalization;
using HarmoniousFeedback.Midi.Deviations;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>Options of <see cref="RenditionPlanner"/>: how many renditions per reference and how deviations are drawn.</summary>
public sealed record RenditionPlanOptions
{
    /// <summary>Renditions per reference (1 – 64): the first is clean, the others each plant a deviation. Default 6.</summary>
    public int Renditions { get; init; } = 6;

    /// <summary>Smallest sampled intensity (0 – 1). Default 0.25: weaker deviations are mostly below the dominant-issue threshold.</summary>
    public double IntensityMin { get; init; } = 0.25;

    /// <summary>Largest sampled intensity (IntensityMin – 1). Default 1.</summary>
    public double IntensityMax { get; init; } = 1.0;

    /// <summary>Probability (0 – 1) that a deviated rendition gets a second deviation of another dimension. Default 0.25.</summary>
    public double CombinedFraction { get; init; } = 0.25;

    /// <summary>Probability (0 – 1) that a deviation able to act on the whole clip or a span acts on a span. Default 0.5.</summary>
    public double LocalisedFraction { get; init; } = 0.5;

    /// <summary>Shortest local span in seconds (0.1 – 30). Default 1.5.</summary>
    public double LocalSpanMinSeconds { get; init; } = 1.5;

    /// <summary>Longest local span in seconds (LocalSpanMinSeconds – 30). Default 2.5.</summary>
    public double LocalSpanMaxSeconds { get; init; } = 2.5;

    /// <summary>A local span covers at most this fraction of the clip (0.05 – 1). Default 0.6.</summary>
    public double LocalSpanMaxFraction { get; init; } = 0.6;

    /// <summary>
    /// A drawn deviation whose severity (1 − its dimension's score over its own span, <see cref="FeedbackLabeler"/>) is
    /// below this is redrawn, up to 8 times (0 – 1; 0 keeps every draw). Default 0.1: a legato under a held pedal or a
    /// pedal press left out where the keys are held anyway changes nothing audible and would be a "none" in disguise.
    /// </summary>
    public double MinSeverity { get; init; } = 0.1;

    /// <summary>The natural variability every rendition (clean ones included) gets.</summary>
    public NaturalVariability Natural { get; init; } = new();

    public void Validate()
    {
        var v = new OptionsValidator(nameof(RenditionPlanOptions));
        v.InRange(nameof(Renditions), Renditions, 1, 64);
        v.InRange(nameof(IntensityMin), IntensityMin, 0, 1);
        v.InRange(nameof(IntensityMax), IntensityMax, IntensityMin, 1);
        v.InRange(nameof(CombinedFraction), CombinedFraction, 0, 1);
        v.InRange(nameof(LocalisedFraction), LocalisedFraction, 0, 1);
        v.InRange(nameof(LocalSpanMinSeconds), LocalSpanMinSeconds, 0.1, 30);
        v.InRange(nameof(LocalSpanMaxSeconds), LocalSpanMaxSeconds, LocalSpanMinSeconds, 30);
        v.InRange(nameof(LocalSpanMaxFraction), LocalSpanMaxFraction, 0.05, 1);
        v.InRange(nameof(MinSeverity), MinSeverity, 0, 1);
        v.ThrowIfAny();
        Natural.Validate();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"renditions={Renditions};intensity={IntensityMin:R}-{IntensityMax:R};combined={CombinedFraction:R};local={LocalisedFraction:R};" +
        $"span={LocalSpanMinSeconds:R}-{LocalSpanMaxSeconds:R}/{LocalSpanMaxFraction:R};sev={MinSeverity:R};natural={Natural.TempoSpread:R}/{Natural.OnsetJitterSeconds:R}/{Natural.VelocityJitter:R}/{Natural.DurationLogSigma:R}");
}
