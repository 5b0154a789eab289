namespace HarmoniousFeedback.Nn;

/// <summary>A learning-rate schedule stepped once per epoch (PyTorch's <c>lr_scheduler</c>).</summary>
public interface ILrScheduler
{
    /// <summary>Advances one epoch; <paramref name="metric"/> is the validation metric (used by plateau schedules).</summary>
    void Step(double? metric = null);
    /// <summary>Epochs stepped so far.</summary>
    int LastEpoch { get; set; }
}
