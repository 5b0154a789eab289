using HarmoniousFeedback.Midi.Deviations;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Deviations;

public class TimingDeviationTests
{
    [Fact]
    public void Onset_jitter_displacements_have_the_requested_standard_deviation_and_keep_durations()
    {
        var spec = new OnsetJitterDeviation { Intensity = 0.5 };
        Assert.Equal(0.0475, spec.Sigma, 12); // 0.015 + 0.5·(0.08 − 0.015)
        var p = spec.Apply(TestScores.Melody(400), 7);
        // Skip the first two notes: the clamp at 0 s could cut a negative displacement there (onsets ≥ 0.5 s are > 10σ away).
        var d = p.Notes.Where(n => n.Clean.Onset >= 0.5).Select(n => n.Played.Onset - n.Clean.Onset).ToArray();
        // The sample standard deviation of n = 398 normal draws has relative standard error 1/√(2n) ≈ 3.5 %: allow 15 % (≈ 4 SE).
        Assert.InRange(TestScores.Std(d) / spec.Sigma, 0.85, 1.15);
        Assert.InRange(Math.Abs(d.Average()), 0, 4 * spec.Sigma / Math.Sqrt(d.Length)); // mean 0 within 4 SE
        Assert.All(p.Notes, n => Assert.Equal(n.Clean.Duration, n.Played.Duration, 9));
    }

    [Fact]
    public void Rushing_a_span_compresses_it_by_the_tempo_ratio_and_shifts_what_follows()
    {
        var score = TestScores.Melody(400);
        var spec = new LocalTempoDeviation { Intensity = 0.5, Span = new TimeRange(10, 20), Direction = TempoDirection.Faster };
        double tau = spec.TempoRatio;
        Assert.Equal(1.24, tau, 12); // 1 + 0.08 + 0.5·0.32
        var p = spec.Apply(score, 1);
        double shift = 10 * (1 / tau - 1);
        for (int i = 0; i < score.Notes.Count; i++)
        {
            double t = score.Notes[i].Onset, expected = t < 10 ? t : t < 20 ? 10 + (t - 10) / tau : t + shift;
            Assert.Equal(expected, p.Notes[i].Played.Onset, 9);
            Assert.Equal(expected, p.Notes[i].Clean.Onset, 9); // a warp moves the clean twin too: rhythm is untouched
        }
        var span = p.Deviations[0].Span;
        Assert.Equal(10, span.Start, 9);
        Assert.Equal(10 + 10 / tau, span.End, 9);
        Assert.Equal(Math.Log(tau), p.PlantedTempo.MeanAbsLogStretch(span), 9); // every 5 ms cell inside maps into the span
        Assert.Equal(0, p.PlantedTempo.MeanAbsLogStretch(new TimeRange(0, 10)), 12);
        Assert.Equal(0, p.PlantedTempo.MeanAbsLogStretch(new TimeRange(span.End, p.End)), 12);
    }

    [Fact]
    public void Global_drift_slows_down_to_the_final_tempo_ratio_by_the_end()
    {
        var spec = new GlobalTempoDeviation { Intensity = 0.5, Mode = GlobalTempoMode.Drift, Direction = TempoDirection.Slower };
        double te = spec.TempoRatio;
        Assert.Equal(1 / 1.18, te, 12); // m = 0.06 + 0.5·0.24
        var p = spec.Apply(StudentPerformance.FromReference(TestScores.Melody(400), 100), 1);
        Assert.Equal(100 / (te - 1) * Math.Log(te), p.End, 9); // u(T) = T/(τₑ − 1)·ln τₑ
        // The last inter-onset interval (written 0.25 s) is stretched by 1/τ(t) with τ within 0.3 % of τₑ there.
        var last = p.Notes.OrderBy(n => n.Played.Onset).TakeLast(2).ToArray();
        Assert.Equal(0.25 / te, last[1].Played.Onset - last[0].Played.Onset, 0.25 / te * 0.003);
        Assert.Equal(0, p.PlantedTempo.LogStretchAt(0.001), 3); // still the written tempo at the start
    }

    [Fact]
    public void Constant_global_tempo_scales_every_time_by_the_inverse_ratio()
    {
        var spec = new GlobalTempoDeviation { Intensity = 1, Mode = GlobalTempoMode.Constant, Direction = TempoDirection.Faster };
        var p = spec.Apply(StudentPerformance.FromReference(TestScores.Melody(40), 10), 1);
        Assert.Equal(10 / 1.30, p.End, 9);
        Assert.Equal(Math.Log(1.30), p.PlantedTempo.MeanAbsLogStretch(p.WholeClip), 9);
        Assert.Equal(-Math.Log(1.30), p.PlantedTempo.MeanLogStretch(p.WholeClip), 9); // faster: negative stretch
    }

    [Fact]
    public void A_later_tempo_change_moves_earlier_spans_with_their_notes()
    {
        var p = new WrongNotesDeviation { Intensity = 1, Span = new TimeRange(50, 60) }.Apply(TestScores.Melody(400), 2);
        p = new LocalTempoDeviation { Intensity = 1, Span = new TimeRange(10, 20), Direction = TempoDirection.Slower }.Apply(p, 2);
        double shift = 10 * (1.40 - 1); // dragging: τ = 1/1.40, the span lasts 14 s instead of 10
        var span = p.Deviations[0].Span;
        Assert.Equal(50 + shift, span.Start, 9);
        Assert.Equal(60 + shift, span.End, 9);
        Assert.All(p.Notes.Where(n => n.PitchChanged), n => Assert.True(span.Contains(n.Clean.Onset)));
    }
}
