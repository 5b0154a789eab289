using HarmoniousFeedback.Midi.Deviations;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Deviations;

public class DynamicsDeviationTests
{
    // Rounding each velocity to an integer moves it by ≤ 0.5, so a spread of σ ≈ 16 steps changes its ratio by < 0.5/16 ≈ 0.03.
    private const double RoundingTolerance = 0.03;

    [Fact]
    public void Flattening_compresses_the_velocity_spread_by_one_minus_the_compression()
    {
        var spec = new FlattenedDynamicsDeviation { Intensity = 0.5 };
        Assert.Equal(0.75, spec.Compression, 12);
        var p = spec.Apply(TestScores.Melody(400), 1);
        double before = TestScores.Std(p.Notes.Select(n => (double)n.Clean.Velocity));
        double after = TestScores.Std(p.Notes.Select(n => (double)n.Played.Velocity));
        Assert.Equal(0.25, after / before, RoundingTolerance);
        Assert.Equal(p.Notes.Average(n => n.Clean.Velocity), p.Notes.Average(n => n.Played.Velocity), 0.5);
        Assert.Equal(p.Notes.Average(n => n.Clean.Velocity), p.Deviations[0].Amounts["mean_velocity"], 9);
    }

    [Fact]
    public void Exaggerating_expands_the_velocity_spread_by_one_plus_the_expansion()
    {
        var spec = new ExaggeratedDynamicsDeviation { Intensity = 0 };
        var p = spec.Apply(TestScores.Melody(400), 1);
        // g = 0.3: velocities 40 … 90 around a mean of ≈ 65 stay within 1 … 127 (65 ± 1.3·25), so nothing is clipped.
        double ratio = TestScores.Std(p.Notes.Select(n => (double)n.Played.Velocity)) / TestScores.Std(p.Notes.Select(n => (double)n.Clean.Velocity));
        Assert.Equal(1.3, ratio, RoundingTolerance);
    }

    [Fact]
    public void A_sudden_change_adds_the_velocity_step_inside_its_span_only()
    {
        var span = new TimeRange(10, 20);
        var p = new SuddenDynamicsDeviation { Intensity = 0, Span = span, Direction = DynamicsDirection.Louder }.Apply(TestScores.Melody(400), 1);
        Assert.All(p.Notes, n => Assert.Equal(n.Clean.Velocity + (span.Contains(n.Clean.Onset) ? 15 : 0), n.Played.Velocity)); // Δ = 15 at intensity 0
        Assert.Equal(15, p.Deviations[0].Amounts["velocity_change"]);
        var soft = new SuddenDynamicsDeviation { Intensity = 1, Direction = DynamicsDirection.Softer }.Apply(TestScores.Melody(40), 1);
        Assert.All(soft.Notes, n => Assert.Equal(Math.Max(1, n.Clean.Velocity - 50), n.Played.Velocity)); // Δ = −50, clamped at velocity 1
        Assert.Contains(soft.Notes, n => n.Played.Velocity == 1);
    }
}
