using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

/// <summary>
/// The fast <see cref="ReferenceAlignment"/> (batched STFT frames, per-score reference frames, vectorised loops) against
/// its implementation before those changes (<see cref="ReferenceAlignmentReference"/>).
/// </summary>
public sealed class ReferenceAlignmentFastPathTests
{
    private static readonly int[] Major = [0, 2, 4, 5, 7, 9, 11];

    /// <summary>Performance/reference pairs: identical, 25 % faster, two wrong notes, louder and shorter than the score.</summary>
    public static TheoryData<string> Pairs => new() { "same", "faster", "wrong", "louder_short" };

    private static (AudioClip Performance, AudioClip Reference) Pair(string name)
    {
        var reference = ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.3));
        return name switch
        {
            "same" => (reference, reference),
            "faster" => (ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.24)), reference),
            "wrong" => (ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.3, pitchOf: k => k is 5 or 6 ? 61 + k : 60 + 12 * (k / 7) + Major[k % 7])), reference),
            _ => (new AudioClip(ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.3, velocity: 110)).Channels[0].AsSpan(0, 30_011).ToArray(), 16000), reference),
        };
    }

    private static void AssertSame(ReferenceAlignmentResult expected, ReferenceAlignmentResult actual)
    {
        Assert.Equal(expected.ReferencePosition, actual.ReferencePosition);
        Assert.Equal(expected.ReferenceFrames, actual.ReferenceFrames);
        // the DTW cell costs are summed in another order (Costs vs Dot): ≤ about one float ulp of 1 (1.2e-7) per cell, and a path has < n + m cells
        Assert.Equal(expected.Cost, actual.Cost, 1.2e-7 * (expected.ReferencePosition.Length + expected.ReferenceFrames));
        Assert.Equal(expected.Performance.Data, actual.Performance.Data);
        Assert.Equal(expected.AlignedReference.Data, actual.AlignedReference.Data);
        // The levels L are now summed by vectorised exp (≈ 1e-14 dB from Math.Pow, see the levels test), which reaches the
        // level and contrast features as ≈ 1e-15 before their float rounding: a float feature may differ by an ulp.
        Assert.Equal(expected.Features.Data.Length, actual.Features.Data.Length);
        for (int i = 0; i < expected.Features.Data.Length; i++)
            Assert.True(Math.Abs(expected.Features.Data[i] - actual.Features.Data[i]) <= 1e-6 + 1e-6 * Math.Abs(expected.Features.Data[i]),
                $"feature {i % 8} of frame {i / 8}: {actual.Features.Data[i]} vs {expected.Features.Data[i]}");
        Assert.Equal(expected.Features.FrameTimes, actual.Features.FrameTimes);
        Assert.Equal(expected.Performance.FeatureNames, actual.Performance.FeatureNames);
    }

    [Fact]
    public void Chroma_from_batched_frames_is_bit_identical_to_the_frame_by_frame_spectrogram()
    {
        var chroma = new Chroma(new ReferenceAlignmentOptions().Chroma);
        var x = ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.2)).Channels[0].AsSpan(0, 40_003).ToArray();   // 251 frames: a short last batch
        var fast = chroma.Compute(x);
        var reference = chroma.ComputePerFrame(x);
        Assert.Equal(reference.Rows, fast.Rows);
        Assert.Equal(reference.Data, fast.Data);
        Assert.Equal(reference.FrameTimes, fast.FrameTimes);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fast_alignment_gives_the_path_and_spectrograms_of_the_implementation_before_it_exactly_and_its_cost_and_features_to_1e_6(string pair)
    {
        var (performance, reference) = Pair(pair);
        AssertSame(new ReferenceAlignmentReference().Compute(performance, reference), new ReferenceAlignment().Compute(performance, reference));
    }

    [Theory]
    [InlineData(0, -1)]               // the whole reference (−1: to its end)
    [InlineData(16_000, 30_000)]      // a hop-aligned part inside it
    [InlineData(8_000, -1)]           // a hop-aligned part reaching the reference's end
    [InlineData(16_003, 29_000)]      // a part not on the hop grid (computed from its samples)
    [InlineData(3_200, 1_500)]        // a part shorter than the chroma's n_fft: every frame reaches into its padding
    public void Alignment_with_precomputed_reference_frames_equals_alignment_with_the_part_s_samples(int start, int length)
    {
        var (performance, reference) = Pair("faster");
        if (length < 0) length = reference.Length - start;
        var part = new AudioClip(reference.Channels[0].AsSpan(start, length).ToArray(), 16000);
        var alignment = new ReferenceAlignment();
        var cached = new ReferenceFeatures(reference, alignment.Options);
        AssertSame(new ReferenceAlignmentReference().Compute(performance, part), alignment.Compute(performance, cached, start, length));
    }

    [Fact]
    public void Alignment_with_precomputed_reference_frames_rejects_a_part_outside_the_reference_and_other_options()
    {
        var (performance, reference) = Pair("same");
        var alignment = new ReferenceAlignment();
        var cached = new ReferenceFeatures(reference);
        int end = reference.Length;
        var outside = Assert.Throws<OptionsValidationException>(() => alignment.Compute(performance, cached, end - 500, 1_000));
        Assert.Contains($"[{end - 500}, {end + 500})", outside.Message);
        var other = new ReferenceAlignment(new ReferenceAlignmentOptions { StepPenalty = 0.2 });
        var mismatch = Assert.Throws<OptionsValidationException>(() => other.Compute(performance, cached, 0, 1_000));
        Assert.Contains("other alignment options", mismatch.Message);
    }

    [Fact]
    public void Vectorised_levels_agree_with_the_scalar_math_pow_levels_to_1e_9_dB()
    {
        var x = ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.3));
        var db = new NormalizedLogMel(new ReferenceAlignmentOptions().LogMel).ComputeDb(x);    // 80 dB of range: loud notes, release tails, the clamp floor
        var fast = ReferenceAlignment.Levels(db);
        var scalar = ReferenceAlignment.LevelsScalar(db);
        Assert.Equal(scalar.Length, fast.Length);
        // exp(D·ln10/10) vs Math.Pow(10, D/10): a few ulp of double (≈ 1e-15 relative) per term, ≈ 1e-14 dB after the sum
        for (int i = 0; i < fast.Length; i++) Assert.Equal(scalar[i], fast[i], 1e-9);
    }

    [Fact]
    public void Vectorised_onset_strengths_agree_with_the_sequential_double_sums_to_1e_12_relative()
    {
        var x = ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.3));
        var db = new NormalizedLogMel(new ReferenceAlignmentOptions().LogMel).ComputeDb(x);   // attacks, decays and the clamp floor
        var fast = ReferenceAlignment.Onsets(db);
        var scalar = ReferenceAlignment.OnsetsScalar(db);
        Assert.Equal(scalar.Length, fast.Length);
        Assert.Contains(scalar, o => o > 1);                                                     // the clip has attacks to measure
        // the float differences are exact in both; 128 non-negative double terms summed in another order: ≤ 128 double
        // roundings (≈ 3e-14 relative), far below the float features they feed
        for (int i = 0; i < fast.Length; i++) Assert.Equal(scalar[i], fast[i], 1e-12 * Math.Max(1, scalar[i]));
    }

    [Fact]
    public void Alignments_with_equal_options_share_one_set_of_filterbanks_and_give_the_same_features()
    {
        var (performance, reference) = Pair("wrong");
        var a = new ReferenceAlignment(new ReferenceAlignmentOptions());
        var b = new ReferenceAlignment(new ReferenceAlignmentOptions());
        Assert.Same(ReferenceAlignmentFrames.For(a.Options), ReferenceAlignmentFrames.For(b.Options));
        Assert.NotSame(ReferenceAlignmentFrames.For(a.Options), ReferenceAlignmentFrames.For(a.Options with { ChromaNFft = 1024 }));
        Assert.Equal(a.Compute(performance, reference).Features.Data, b.Compute(performance, reference).Features.Data);
    }

    [Fact]
    public void Vectorised_dtw_costs_agree_with_one_minus_the_dot_product_per_cell_to_1e_6()
    {
        var rng = new SplitMix64(17);
        float[] Unit(int rows)
        {
            var v = new float[rows * 13];
            for (int i = 0; i < rows; i++)
            {
                var r = v.AsSpan(i * 13, 13);
                for (int k = 0; k < 13; k++) r[k] = (float)rng.NextDouble();
                System.Numerics.Tensors.TensorPrimitives.Divide(r, System.Numerics.Tensors.TensorPrimitives.Norm(r), r);
            }
            return v;
        }
        var vs = Unit(37);
        var vr = Unit(61);
        int from = 5, m = 53;                                           // a band of the reference, 53 = 6 vectors of 8 + a scalar tail of 5
        var fast = new float[37 * m];
        var scalar = new float[37 * m];
        ReferenceAlignment.Costs(vs, 37, vr, from, m, fast);
        ReferenceAlignment.CostsScalar(vs, 37, vr, from, m, scalar);
        // 13 products of unit-vector elements summed in another order: a few float ulp of 1 (1.2e-7 each)
        for (int i = 0; i < fast.Length; i++) Assert.Equal(scalar[i], fast[i], 1e-6f);
    }

    [Fact]
    public void Alignment_on_crp_chroma_with_a_tail_trim_from_prepared_reference_frames_equals_alignment_with_the_part_s_samples()
    {
        var (performance, reference) = Pair("wrong");
        var options = new ReferenceAlignmentOptions { PitchProfile = PitchProfile.Crp, TailDb = 30 };
        var alignment = new ReferenceAlignment(options);
        var cached = new ReferenceFeatures(reference, options);
        int start = 16_000, length = 40_000;
        var part = new AudioClip(reference.Channels[0].AsSpan(start, length).ToArray(), 16000);
        var expected = alignment.Compute(performance, part);
        var actual = alignment.Compute(performance, cached, start, length);
        Assert.Equal(expected.ReferencePosition, actual.ReferencePosition);
        Assert.Equal(expected.Features.Data, actual.Features.Data);
        Assert.Equal(expected.AlignedReference.Data, actual.AlignedReference.Data);
    }
}
