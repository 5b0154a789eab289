namespace HarmoniousFeedback.Nn;

/// <summary>Stops training when a validation metric has not improved by <c>minDelta</c> for <c>patience</c> epochs.</summary>
public sealed class EarlyStopping(int patience, MetricMode mode = MetricMode.Min, double minDelta = 0)
{
    public double Best { get; private set; } = mode == MetricMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    public int BestEpoch { get; private set; } = -1;
    public int EpochsWithoutImprovement { get; private set; }
    /// <summary>Records epoch <paramref name="epoch"/>'s metric; returns true when training should stop.</summary>
    public bool Update(int epoch, double metric)
    {
        bool better = mode == MetricMode.Min ? metric < Best - minDelta : metric > Best + minDelta;
        if (better) { Best = metric; BestEpoch = epoch; EpochsWithoutImprovement = 0; }
        else EpochsWithoutImprovement++;
        return EpochsWithoutImprovement >= patience;
    }
}
