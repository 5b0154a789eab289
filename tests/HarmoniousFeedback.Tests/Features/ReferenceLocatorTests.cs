using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Tests.Models.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public sealed class ReferenceLocatorTests
{
    private static AudioClip Cut(AudioClip c, double from, double to)
        => new(c.Channels[0].AsSpan((int)(from * c.SampleRate), (int)((to - from) * c.SampleRate)).ToArray(), c.SampleRate);

    [Theory]
    [InlineData(4.0, 3.0)]   // expected 1 s early
    [InlineData(4.0, 5.5)]   // expected 1.5 s late
    [InlineData(0.0, 0.0)]
    public void Locate_finds_an_excerpt_of_the_reference_where_it_was_cut_within_the_search_band(double cutAt, double expected)
    {
        var reference = StreamingFixture.Render(StreamingFixture.Melody());
        var span = new ReferenceLocator(reference).Locate(Cut(reference, cutAt, cutAt + 3), expected, searchSeconds: 2);
        // the excerpt is the reference itself, so the path is the diagonal from cutAt to cutAt + 3 s; chroma is smoothed
        // over ±50 ms and the open ends may stop a few 10-ms frames early in the first note's attack or the last's decay
        Assert.InRange(span.Start, cutAt - 0.1, cutAt + 0.1);
        Assert.InRange(span.End, cutAt + 3 - 0.15, cutAt + 3 + 0.1);
        Assert.InRange(span.Cost, 0, 0.05); // identical audio: cosine cost ≈ 0 along the path
    }

    [Fact]
    public void Locate_rejects_a_negative_search_width_and_an_excerpt_at_another_rate()
    {
        var reference = StreamingFixture.Render(StreamingFixture.Melody());
        var locator = new ReferenceLocator(reference);
        var e = Assert.Throws<OptionsValidationException>(() => locator.Locate(Cut(reference, 0, 3), 0, -1));
        Assert.Contains("searchSeconds = -1", e.Message);
        Assert.Throws<AudioFormatException>(() => locator.Locate(new AudioClip(new float[22050], 22050), 0, 2));
    }

    [Fact]
    public void A_locator_built_from_prepared_reference_frames_finds_the_spans_of_one_built_from_the_samples_exactly()
    {
        var reference = StreamingFixture.Render(StreamingFixture.Melody());
        var fromSamples = new ReferenceLocator(reference);
        var fromFrames = new ReferenceLocator(new ReferenceFeatures(reference));
        Assert.Equal(fromSamples.Frames, fromFrames.Frames);
        foreach (var (cutAt, expected) in new[] { (0.0, 0.0), (2.5, 1.5), (4.0, 5.5) })
            Assert.Equal(fromSamples.Locate(Cut(reference, cutAt, cutAt + 3), expected, 2), fromFrames.Locate(Cut(reference, cutAt, cutAt + 3), expected, 2));
    }

    [Fact]
    public void A_span_on_frame_boundaries_maps_to_hop_multiples_of_samples_within_the_reference()
    {
        const double h = 160 / 16000.0;
        // k·h·sr is k·160 only up to rounding (803·0.01·16000 = 128479.99999999999): the floor of the product would be one
        // sample early and miss the prepared frames' fast path
        foreach (int k in new[] { 0, 3, 803, 811, 1606, 1638 })
        {
            var (start, length) = new ReferenceSpan(k * h, (k + 300) * h, 0).Samples(16000, 1_000_000);
            Assert.Equal((k * 160, 300 * 160), (start, length));
        }
        Assert.Equal((100, 900), new ReferenceSpan(100 / 16000.0, 2.0, 0).Samples(16000, 1000));            // clamped at the reference's end
        Assert.Equal((16, 1), new ReferenceSpan(0.001, 0.001, 0).Samples(16000, 1000));                     // at least one sample
        Assert.Equal((16, 1), new ReferenceSpan(0.00104, 0.00105, 0).Samples(16000, 1000));                  // a time between samples: the one before
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReferenceSpan(1.0, 2.0, 0).Samples(16000, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReferenceSpan(-0.5, 2.0, 0).Samples(16000, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReferenceSpan(0, 2.0, 0).Samples(0, 1000));
    }
}
