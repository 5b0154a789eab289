namespace HarmoniousFeedback.Midi.Deviations;

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
