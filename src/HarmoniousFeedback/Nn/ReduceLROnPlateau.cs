namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>ReduceLROnPlateau</c> (threshold_mode 'rel'): when the metric has not improved by a relative
/// <c>threshold</c> for more than <c>patience</c> epochs, lr ← max(lr·factor, minLr), then wait <c>cooldown</c> epochs.
/// </summary>
public sealed class ReduceLROnPlateau(Optimizer optimizer, MetricMode mode = MetricMode.Min, double factor = 0.1, int patience = 10,
    double threshold = 1e-4, int cooldown = 0, double minLr = 0) : ILrScheduler
{
    private double _best = mode == MetricMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    private int _bad, _cooldown;
    public int LastEpoch { get; set; }
    public void Step(double? metric = null)
    {
        if (metric is not { } m) throw new OptionsValidationException(nameof(ReduceLROnPlateau), ["metric = null: Step needs the validation metric it watches"]);
        LastEpoch++;
        bool better = mode == MetricMode.Min ? m < _best * (1 - threshold) : m > _best * (1 + threshold);
        if (better) { _best = m; _bad = 0; } else _bad++;
        if (_cooldown > 0) { _cooldown--; _bad = 0; }
        if (_bad > patience)
        {
            optimizer.Lr = Math.Max(optimizer.Lr * factor, minLr);
            _cooldown = cooldown; _bad = 0;
        }
    }
}
