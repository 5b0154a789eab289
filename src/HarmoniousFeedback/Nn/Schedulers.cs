namespace HarmoniousFeedback.Nn;

/// <summary>A learning-rate schedule stepped once per epoch (PyTorch's <c>lr_scheduler</c>).</summary>
public interface ILrScheduler
{
    /// <summary>Advances one epoch; <paramref name="metric"/> is the validation metric (used by plateau schedules).</summary>
    void Step(double? metric = null);
    /// <summary>Epochs stepped so far.</summary>
    int LastEpoch { get; set; }
}

/// <summary><c>StepLR</c>: lr = lr₀·γ^⌊epoch/stepSize⌋.</summary>
public sealed class StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : ILrScheduler
{
    public int LastEpoch { get; set; }
    public void Step(double? metric = null)
    {
        LastEpoch++;
        optimizer.Lr = optimizer.InitialLr * Math.Pow(gamma, LastEpoch / stepSize);
    }
}

/// <summary><c>CosineAnnealingLR</c> (closed form): lr = η_min + (lr₀ − η_min)·(1 + cos(π·epoch/T_max))/2.</summary>
public sealed class CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : ILrScheduler
{
    public int LastEpoch { get; set; }
    public void Step(double? metric = null)
    {
        LastEpoch++;
        optimizer.Lr = etaMin + (optimizer.InitialLr - etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / tMax)) / 2;
    }
}

/// <summary>Whether a smaller or a larger metric is better.</summary>
public enum MetricMode { Min, Max }

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
        if (metric is not { } m) throw new ArgumentNullException(nameof(metric), "ReduceLROnPlateau.Step needs the validation metric");
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
