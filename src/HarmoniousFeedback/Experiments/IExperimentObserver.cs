namespace HarmoniousFeedback.Experiments;

/// <summary>Receives progress from an <see cref="ExperimentRunner"/> (console progress bars, notebook output).</summary>
public interface IExperimentObserver
{
    void Stage(string message);
    void Progress(string task, int done, int total);
    /// <summary>A unit (model × repeat × fold of one scheme) finished; <paramref name="reused"/> when loaded from an earlier run.</summary>
    void UnitFinished(string scheme, string model, int repeat, int fold, int done, int total, bool reused, double accuracy);
}
