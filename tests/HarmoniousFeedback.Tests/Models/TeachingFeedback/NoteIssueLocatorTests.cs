using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class NoteIssueLocatorTests
{
    private static readonly float[] Fine = [1f, 1f, 1f, 1f, 1f, 1f];

    /// <summary>
    /// A corpus of 50 clean renditions whose slips contrast is 0, 0.01, …, 0.49 (over 0.5 s windows at 1 s) and 20 renditions
    /// with wrong notes planted at 3–4 s whose slips window lies over them (0.8); the jitter contrast fires as often on
    /// renditions without a rhythm deviation as with one.
    /// </summary>
    private static NoteIssueLocator Calibrated()
    {
        var clips = new List<(IReadOnlyList<LocalContrast>, IReadOnlyList<FeedbackSpan>)>();
        for (int i = 0; i < 50; i++)
            clips.Add(([new LocalContrast("local_slips_max", 1, 1.5, i / 100.0, 0), new LocalContrast("local_jitter_max", 2, 3, 0.01, 0)], []));
        for (int i = 0; i < 20; i++)
        {
            var planted = new FeedbackSpan(i % 2 == 0 ? 0 : 3, 3, 4, 0.5);
            clips.Add(([new LocalContrast("local_slips_max", 3.2, 3.8, 0.8, 0.1), new LocalContrast("local_jitter_max", 0.5, 1.5, 0.9, 0)], [planted]));
        }
        return NoteIssueLocator.Calibrate(clips);
    }

    [Fact]
    public void Calibration_reads_the_clean_renditions_quantiles_and_keeps_as_evidence_only_the_measures_that_fire_over_their_dimension()
    {
        var locator = Calibrated();
        var slips = locator.Calibration["local_slips_max"];
        Assert.Equal(0.245, slips.Median, 1e-9);          // linear interpolation, as numpy.quantile
        Assert.Equal(0.4802, slips.Q98, 1e-9);
        Assert.Equal(20, slips.Firings);                  // every planted rendition's window is above q98…
        Assert.Equal(0.5, slips.Precision, 1e-9);         // …over wrong notes in half, over sudden dynamics in the others
        var jitter = locator.Calibration["local_jitter_max"];
        Assert.Equal(20, jitter.Firings);
        Assert.Equal(0, jitter.Precision);                 // never over a rhythm deviation
        Assert.Equal(["local_slips_max"], locator.Reliable);
        var strict = new NoteIssueLocator(locator.Calibration) { MinPrecision = 0.6 };      // slips were right half the time
        Assert.Empty(strict.Reliable);
        Assert.Empty(strict.Locate([new LocalContrast("local_slips_max", 3, 3.6, 0.9, 0)], "none", Fine, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoteIssueLocator(locator.Calibration) { MinPrecision = 1.5 });
        Assert.Equal(0, locator.Calibration["local_lost_max"].Median); // a measure with no window counts as no contrast
        Assert.Throws<ArgumentException>(() => NoteIssueLocator.Calibrate([([], [new FeedbackSpan(0, 0, 1, 1)])]));
    }

    [Fact]
    public void The_dominant_issue_is_placed_at_its_most_unusual_window_and_strong_evidence_adds_its_own()
    {
        var locator = Calibrated();
        float[] scores = [0.4f, 0.9f, 1f, 0.7f, 1f, 1f];
        IReadOnlyList<LocalContrast> windows =
        [
            new("local_slips_max", 3.0, 3.6, 0.7, 0.0),            // above q98 and reliable: evidence of its own
            new("local_jitter_max", 1.0, 2.0, 0.5, 0.0),           // unreliable: only when rhythm is the dominant issue
            new("local_replaced_max", 4.0, 5.0, 0.3, 0.3),         // no more contrast than on the score's rendering
        ];
        var dominantPitch = locator.Locate(windows, "pitch", scores, 8);
        var span = Assert.Single(dominantPitch);                  // the dominant window and the evidence are the same passage: merged
        Assert.Equal((0, 3.0, 3.6), (span.Dimension, span.Start, span.End));
        Assert.Equal(0.6, span.Severity, 1e-6);                   // 1 − the model's pitch score
        var dominantRhythm = locator.Locate(windows, "rhythm", scores, 8);
        Assert.Equal([(0, 3.0, 3.6), (1, 1.0, 2.0)], dominantRhythm.Select(s => (s.Dimension, s.Start, s.End)).OrderBy(s => s.Dimension));
        var none = locator.Locate(windows, "none", scores, 8);
        Assert.Equal(0, Assert.Single(none).Dimension);           // no dominant issue: only the evidence
        Assert.Empty(locator.Locate([new LocalContrast("local_slips_max", 3, 3.6, 0.1, 0)], "none", scores, 8));
        // below the clean median the dominant dimension is not placed
        Assert.Empty(locator.Locate([new LocalContrast("local_slips_max", 3, 3.6, 0.1, 0)], "pitch", scores, 8));
    }

    [Fact]
    public void A_window_of_one_instant_is_widened_to_the_minimum_span_inside_the_recording()
    {
        var locator = Calibrated();
        var at = Assert.Single(locator.Locate([new LocalContrast("local_slips_max", 2.0, 2.0, 0.9, 0)], "none", Fine, 8));
        Assert.Equal(FeedbackIssues.DefaultMinSeconds, at.End - at.Start, 1e-9);
        Assert.Equal(2.0, 0.5 * (at.Start + at.End), 1e-9);
        var start = Assert.Single(locator.Locate([new LocalContrast("local_slips_max", 0.0, 0.0, 0.9, 0)], "none", Fine, 8));
        Assert.Equal((0.0, FeedbackIssues.DefaultMinSeconds), (start.Start, start.End));
        var end = Assert.Single(locator.Locate([new LocalContrast("local_slips_max", 8.0, 8.0, 0.9, 0)], "none", Fine, 8));
        Assert.Equal(8.0, end.End, 1e-9);
        Assert.Equal(0.0, end.Severity);
    }

    [Fact]
    public void The_calibration_round_trips_through_the_metadata_and_a_bad_one_is_refused_naming_the_key()
    {
        var locator = Calibrated();
        var meta = locator.Metadata;
        var back = NoteIssueLocator.FromMetadata(meta, "m.hfbckpt")!;
        Assert.Equal(locator.Calibration.OrderBy(kv => kv.Key), back.Calibration.OrderBy(kv => kv.Key));
        Assert.Null(NoteIssueLocator.FromMetadata(new Dictionary<string, string>(), "m.hfbckpt"));
        var bad = Assert.Throws<CheckpointException>(() => NoteIssueLocator.FromMetadata(
            new Dictionary<string, string> { [NoteIssueLocator.MetadataKey] = "{\"heard_fraction\": [0, 0.2, 0.5, 3]}" }, "m.hfbckpt"));
        Assert.Contains("heard_fraction", bad.Message);
        Assert.Contains("m.hfbckpt", bad.Message);
        Assert.Throws<CheckpointException>(() => NoteIssueLocator.FromMetadata(
            new Dictionary<string, string> { [NoteIssueLocator.MetadataKey] = "{\"local_slips_max\": [0.3, 0.1, 0.5, 3]}" }, "m"));   // median > q98
        Assert.Throws<CheckpointException>(() => NoteIssueLocator.FromMetadata(
            new Dictionary<string, string> { [NoteIssueLocator.MetadataKey] = "[1, 2]" }, "m"));
        Assert.Throws<ShapeMismatchException>(() => locator.Locate([], "pitch", [1f, 1f], 3));
    }

    [Fact]
    public void Every_measure_with_a_window_speaks_for_a_dimension()
    {
        Assert.All(NoteIssueLocator.MeasureDimensions, kv =>
        {
            Assert.InRange(kv.Value, 0, HarmoniousFeedbackNetwork.Dimensions.Count - 1);
            Assert.True(ScoreInformedComparison.FeatureNames.Contains(kv.Key), kv.Key);
        });
        Assert.Equal(HarmoniousFeedbackNetwork.Dimensions.Count, NoteIssueLocator.MeasureDimensions.Values.Distinct().Count());
    }
}
