using HarmoniousFeedback.Features;
using Xunit;

namespace HarmoniousFeedback.Tests.Features;

public class AudioRhythmTests
{
    /// <summary>Decaying 1 kHz bursts (30 ms) every <paramref name="period"/> s at 16 kHz.</summary>
    private static float[] Clicks(double seconds, double period)
    {
        var x = new float[(int)(seconds * 16000)];
        for (double t0 = 0.1; t0 < seconds - 0.05; t0 += period)
            for (int i = 0; i < 480; i++)
            {
                int n = (int)(t0 * 16000) + i;
                if (n < x.Length) x[n] += (float)(0.5 * Math.Exp(-i / 96.0) * Math.Sin(2 * Math.PI * 1000 * i / 16000));
            }
        return x;
    }

    [Fact]
    public void A_click_track_gives_its_tempo_and_onset_rate()
    {
        var x = Clicks(12, 0.5); // 120 bpm, 24 clicks
        var f = new AudioRhythmExtractor().Compute(x);
        int tempo = AudioRhythmExtractor.Columns.ToList().IndexOf("tempo_bpm"), rate = AudioRhythmExtractor.Columns.ToList().IndexOf("onset_rate_per_s");
        Assert.Equal(120, f.Clip[0, tempo], 1.5);       // envelope frames are 10 ms: one lag step near 50 frames is ±2.4 bpm, the parabola refines it
        Assert.Equal(24, f.OnsetTimes.Length);
        Assert.Equal(2.0, f.Clip[0, rate], 1e-6);
        Assert.All(f.OnsetTimes.Zip(f.OnsetTimes.Skip(1)), p => Assert.Equal(0.5, p.Second - p.First, 0.02));
        for (int r = 0; r < f.Segments.Rows; r++) Assert.Equal(120, f.Segments[r, tempo], 3.0);
    }

    [Fact]
    public void Segments_coincide_with_the_lld_segments()
    {
        var x = Clicks(10.7, 0.4);
        var lld = new LldExtractor().ComputeSegments(x);
        var f = new AudioRhythmExtractor(new AudioRhythmOptions().AlignedWith(new LldOptions())).Compute(x);
        Assert.Equal(lld.FrameTimes, f.Segments.FrameTimes);
    }

    [Fact]
    public void Silence_has_no_onsets_no_tempo_and_no_nan()
    {
        var f = new AudioRhythmExtractor().Compute(new float[16000 * 4]);
        Assert.Empty(f.OnsetTimes);
        Assert.All(f.Segments.Data.Concat(f.Clip.Data), v => Assert.Equal(0f, v));
        Assert.Equal(0, new AudioRhythmExtractor().Compute([]).Segments.Rows);
    }
}
