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
