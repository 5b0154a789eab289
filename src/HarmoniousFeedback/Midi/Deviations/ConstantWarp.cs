namespace HarmoniousFeedback.Midi.Deviations;

/// <summary>u = t · Stretch: the whole performance slower (Stretch &gt; 1) or faster.</summary>
internal sealed record ConstantWarp(double Stretch) : ITimeWarp
{
    public double Map(double t) => t * Stretch;
    public double Inverse(double u) => u / Stretch;
    public double LogSlope(double t) => Math.Log(Stretch);
}
