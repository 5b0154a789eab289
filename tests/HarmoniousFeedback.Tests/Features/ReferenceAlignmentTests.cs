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

    [Fact]
    public void Normalized_log_mel_maps_the_loudest_bin_to_one_and_the_floor_to_zero()
    {
        var x = new NormalizedLogMel(new LogMelOptions()).Compute(Render(Scale(0.3)));
        Assert.Equal(1f, x.Data.Max());
        Assert.Equal(0f, x.Data.Min());
    }
}
