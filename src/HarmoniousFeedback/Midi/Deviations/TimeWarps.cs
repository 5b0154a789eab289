namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>
/// A monotone map from the performance's current time t to new time u = Map(t) (seconds), with its inverse and
/// ln(du/dt). Tempo deviations and the natural tempo variation are time warps.
/// </summary>
internal interface ITimeWarp
{
    double Map(double t);
    double Inverse(double u);
    /// <summary>ln(du/dt) at t: positive where the warp slows the music down (time stretched).</summary>
    double LogSlope(double t);
}

/// <summary>u = t · Stretch: the whole performance slower (Stretch &gt; 1) or faster.</summary>
internal sealed record ConstantWarp(double Stretch) : ITimeWarp
{
    public double Map(double t) => t * Stretch;
    public double Inverse(double u) => u / Stretch;
    public double LogSlope(double t) => Math.Log(Stretch);
}

/// <summary>
/// Tempo ratio moving linearly from 1 at t = 0 to <see cref="FinalTempoRatio"/> τₑ at t = <see cref="Length"/> T and
/// staying there: τ(t) = 1 + (τₑ − 1)·min(t, T)/T, u(t) = ∫₀ᵗ ds/τ(s) = T/(τₑ − 1)·ln(1 + (τₑ − 1)·t/T) for t ≤ T.
/// </summary>
internal sealed record RampWarp(double Length, double FinalTempoRatio) : ITimeWarp
{
    private double K => FinalTempoRatio - 1;
    private bool Flat => Math.Abs(K) < 1e-12;
    private double EndU => Flat ? Length : Length / K * Math.Log(FinalTempoRatio);

    public double Map(double t)
    {
        if (Flat) return t;
        if (t <= Length) return Length / K * Math.Log(1 + K * t / Length);
        return EndU + (t - Length) / FinalTempoRatio;
    }

    public double Inverse(double u)
    {
        if (Flat) return u;
        if (u <= EndU) return Length / K * (Math.Exp(u * K / Length) - 1);
        return Length + (u - EndU) * FinalTempoRatio;
    }

    public double LogSlope(double t) => -Math.Log(1 + K * Math.Clamp(t, 0, Length) / Length);
}

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
