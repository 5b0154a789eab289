using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public sealed class ReferenceAlignmentTests
{
    /// <summary>A two-octave C-major scale, one note per <paramref name="step"/> seconds, velocity <paramref name="velocity"/>.</summary>
    internal static MidiScore Scale(double step, int velocity = 80, Func<int, int>? pitchOf = null)
    {
        int[] major = [0, 2, 4, 5, 7, 9, 11];
        var notes = Enumerable.Range(0, 14).Select(k =>
        {
            int pitch = pitchOf?.Invoke(k) ?? 60 + 12 * (k / 7) + major[k % 7];
            double on = 0.1 + k * step;
            return new MidiNote(on, on + 0.9 * step, pitch, velocity, 0, on + 0.9 * step);
        }).ToArray();
        return new MidiScore { Notes = notes, Tempos = [], TimeSignatures = [], Controls = [] };
    }

    internal static AudioClip Render(MidiScore s) => new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 16000 }).Render(s);

    [Fact]
    public void Alignment_of_a_rendition_with_itself_is_the_identity_with_zero_features()
    {
        var clip = Render(Scale(0.3));
        var r = new ReferenceAlignment().Compute(clip, clip);
        Assert.Equal(r.Performance.Rows, r.ReferenceFrames);
        for (int i = 0; i < r.ReferencePosition.Length; i++) Assert.Equal(i, r.ReferencePosition[i]);
        Assert.Equal(r.Performance.Data, r.AlignedReference.Data);
        Assert.All(r.Features.Data, v => Assert.Equal(0f, v, 1e-6f));
    }

    [Fact]
    public void Alignment_measures_a_performance_played_25_percent_faster_as_log_tempo_ratio_ln_1_25()
    {
        var reference = Render(Scale(0.30));
        var faster = Render(Scale(0.24));                  // 0.30/0.24 = 1.25
        var r = new ReferenceAlignment().Compute(faster, reference);
        int hop = 160;
        // frames inside the played scale (0.5 s … 3.0 s of the faster rendition), away from the ends of the path
        var mid = Enumerable.Range((int)(0.5 * 16000 / hop), (int)(2.5 * 16000 / hop)).Select(i => (double)r.Features.Data[i * 8]).ToArray();
        double mean = mid.Average();
        // ln 1.25 = 0.223; the chroma path snaps to note boundaries, so the local ratio scatters; its mean is within 0.05
        Assert.InRange(mean, Math.Log(1.25) - 0.05, Math.Log(1.25) + 0.05);
    }

    [Fact]
    public void Alignment_flags_wrong_notes_as_chroma_distance_where_they_are_played()
    {
        var reference = Render(Scale(0.3));
        var wrong = Render(Scale(0.3, pitchOf: k => k is 5 or 6 ? 61 + k : 60 + 12 * (k / 7) + new[] { 0, 2, 4, 5, 7, 9, 11 }[k % 7]));
        var r = new ReferenceAlignment().Compute(wrong, reference);
        double At(double t0, double t1) => Enumerable.Range((int)(t0 * 100), (int)((t1 - t0) * 100)).Average(i => r.Features.Data[i * 8 + 2]);
        double wrongSpan = At(0.1 + 5 * 0.3 + 0.05, 0.1 + 7 * 0.3 - 0.05);
        double rightSpan = At(0.1 + 1 * 0.3 + 0.05, 0.1 + 4 * 0.3 - 0.05);
        Assert.True(wrongSpan > rightSpan + 0.2, $"chroma distance over the wrong notes {wrongSpan:F3} vs elsewhere {rightSpan:F3}");
    }

    [Theory]
    [InlineData(PitchProfile.Chroma)]
    [InlineData(PitchProfile.Crp)]
    public void Mean_cost_is_zero_for_the_score_itself_and_large_for_the_score_a_tritone_off(PitchProfile profile)
    {
        var reference = Render(Scale(0.3));
        var tritone = Render(Scale(0.3, pitchOf: k => 66 + 12 * (k / 7) + new[] { 0, 2, 4, 5, 7, 9, 11 }[k % 7]));
        var align = new ReferenceAlignment(new ReferenceAlignmentOptions { PitchProfile = profile });
        var self = align.Compute(reference, reference);
        var other = align.Compute(tritone, reference);
        // the diagonal path of identical vectors costs 0 per cell (1 − cos of unit vectors in float: ±1e-5 of rounding, either sign)
        Assert.InRange(self.MeanCost, -1e-5, 1e-5);
        // every note's pitch class differs (C major → F# major, one note at a time): far above the 0.25 (chroma) and
        // 0.6 (CRP) that PerformanceCheck.DefaultMaxMatchCost accepts as a performance of the score
        Assert.True(other.MeanCost > (profile == PitchProfile.Crp ? 0.6 : 0.25), $"mean cost {other.MeanCost:F3}");
        Assert.True(other.MeanCost <= other.Cost, "the mean is the total over at least one path cell");
    }

    [Fact]
    public void Tail_trim_aligns_up_to_the_last_loud_frame_and_continues_the_path_at_slope_1_after_it()
    {
        // the performance: the scale with a 2 s decaying echo of its last four notes appended (a reverb-like tail)
        var reference = Render(Scale(0.3));
        var x = reference.Channels[0];
        int tail = 32000, src = (int)((0.1 + 10 * 0.3) * 16000), len = 4 * 4800;
        var y = new float[x.Length + tail];
        x.CopyTo(y, 0);
        for (int i = 0; i < tail; i++) y[x.Length + i] = 0.7f * x[src + i % len] * MathF.Exp(-i / 4000f);   // −35 dB/s
        var performance = new AudioClip(y, 16000);

        var trimmed = new ReferenceAlignment(new ReferenceAlignmentOptions { TailDb = 30 }).Compute(performance, reference);

        // the last performance frame within 30 dB of its loudest, from the same levels the alignment uses
        var db = new NormalizedLogMel(new ReferenceAlignmentOptions().LogMel).ComputeDb(performance);
        var level = ReferenceAlignment.Levels(db);
        int end = Array.FindLastIndex(level, l => l >= level.Max() - 30);
        Assert.True(end < level.Length - 50, $"the tail must reach below −30 dB well before the end (last loud frame {end} of {level.Length})");
        var pos = trimmed.ReferencePosition;
        for (int i = end + 1; i < pos.Length; i++)
            Assert.Equal(Math.Min(trimmed.ReferenceFrames - 1, pos[end] + (i - end)), pos[i], 9);
        Assert.All(pos, p => Assert.InRange(p, 0, trimmed.ReferenceFrames - 1));
    }

    [Fact]
    public void Tail_trim_at_120_dB_keeps_every_frame_and_gives_the_untrimmed_alignment()
    {
        var reference = Render(Scale(0.3));
        var faster = Render(Scale(0.27));
        var off = new ReferenceAlignment().Compute(faster, reference);
        var wide = new ReferenceAlignment(new ReferenceAlignmentOptions { TailDb = 120 }).Compute(faster, reference);
        Assert.Equal(off.ReferencePosition, wide.ReferencePosition);
        Assert.Equal(off.Features.Data, wide.Features.Data);
    }

    [Fact]
    public void Normalized_log_mel_maps_the_loudest_bin_to_one_and_the_floor_to_zero()
    {
        var x = new NormalizedLogMel(new LogMelOptions()).Compute(Render(Scale(0.3)));
        Assert.Equal(1f, x.Data.Max());
        Assert.Equal(0f, x.Data.Min());
    }

    [Theory]
    [InlineData(PitchProfile.Chroma)]
    [InlineData(PitchProfile.Crp)]
    public void The_transposition_contrast_tells_a_performance_of_the_score_from_noise_and_from_the_score_transposed(PitchProfile profile)
    {
        var alignment = new ReferenceAlignment(new ReferenceAlignmentOptions { PitchProfile = profile, TailDb = profile == PitchProfile.Crp ? 30 : null });
        var score = HarmoniousFeedback.Tests.Models.TeachingFeedback.StreamingFixture.Melody();
        var reference = Render(score);
        MidiScore Shifted(int semitones, double tempo) => new()
        {
            Notes = [.. score.Notes.Select(n => n with { Onset = n.Onset * tempo, Offset = n.Offset * tempo, PedalOffset = n.PedalOffset * tempo, Pitch = n.Pitch + semitones })],
            Tempos = [],
            TimeSignatures = [],
            Controls = [],
        };
        // the score played 10 % slower: far cheaper to align with the score than with any transposition of it
        var slower = Render(Shifted(0, 1.1));
        var own = alignment.Contrast(slower, reference);
        Assert.Equal(own.Costs, alignment.Compute(slower, reference, contrast: true).Contrast!.Costs);   // the same from the alignment's frames
        Assert.Null(alignment.Compute(slower, reference).Contrast);
        Assert.Equal(0, Array.IndexOf([.. own.Costs], own.Costs.Min()));
        Assert.InRange(own.Contrast, 0.5, 1);
        // the score played 2 semitones up: the reference rotated up by 2 pitch classes is the cheapest, the score itself is not special
        var up = alignment.Contrast(Render(Shifted(2, 1.0)), reference);
        Assert.Equal(2, Array.IndexOf([.. up.Costs], up.Costs.Min()));
        Assert.True(up.Contrast < 0.3, $"contrast {up.Contrast}");
        // white noise: every transposition costs about the same
        var rng = new Random(2);
        var noise = new AudioClip([.. Enumerable.Range(0, 10 * 16000).Select(_ => (float)(0.3 * (rng.NextDouble() - 0.5)))], 16000);
        var none = alignment.Contrast(noise, reference);
        Assert.InRange(none.Contrast, -0.15, 0.15);
        Assert.Equal(none.Costs[0], none.Cost);
        Assert.Equal(none.Costs.Skip(1).Order().ElementAt(5), none.TransposedMedian);
    }

    [Fact]
    public void A_transposition_contrast_needs_one_cost_per_transposition()
    {
        Assert.Contains("k = 0 … 11", Assert.Throws<ArgumentException>(() => new TranspositionContrast([0.1, 0.2])).Message);
        Assert.Equal(0, new TranspositionContrast(new double[12]).Contrast);     // every cost 0: no contrast, not NaN
        var c = new TranspositionContrast([0.1, .. Enumerable.Repeat(0.4, 11)]);
        Assert.Equal(0.75, c.Contrast, 12);
    }
}
