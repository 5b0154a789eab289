namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>Tempo ratio τ inside <see cref="Span"/> [a, b), 1 elsewhere: u = t before a, a + (t − a)/τ inside, shifted by (b − a)(1/τ − 1) after b.</summary>
internal sealed record LocalWarp(TimeRange Span, double TempoRatio) : ITimeWarp
{
    private double Shift => Span.Duration * (1 / TempoRatio - 1);

    public double Map(double t)
    {
        if (t < Span.Start) return t;
        if (t < Span.End) return Span.Start + (t - Span.Start) / TempoRatio;
        return t + Shift;
    }

    public double Inverse(double u)
    {
        if (u < Span.Start) return u;
        double uEnd = Span.Start + Span.Duration / TempoRatio;
        if (u < uEnd) return Span.Start + (u - Span.Start) * TempoRatio;
        return u - Shift;
    }

    public double LogSlope(double t) => Span.Contains(t) ? -Math.Log(TempoRatio) : 0;
}
