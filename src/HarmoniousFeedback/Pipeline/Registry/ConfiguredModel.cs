namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// A registered model kind with validated hyperparameters: it says which feature views it reads by default, checks the
/// views an experiment gives it, and builds a trainer (a pipeline estimator) for a unit.
/// Made by <see cref="IModelKind.Configure"/>.
/// </summary>
public abstract class ConfiguredModel
{
    protected ConfiguredModel(IModelKind kind) => Kind = kind;

    public IModelKind Kind { get; }

    /// <summary>The feature views read when an experiment names none for this model (e.g. <c>["lld"]</c>).</summary>
    public abstract IReadOnlyList<string> DefaultViews { get; }

    /// <summary>Adds a problem for every input this model cannot read (count, column types), naming view, type and what is accepted.</summary>
    public abstract void CheckInputs(IReadOnlyList<ModelInput> inputs, List<string> problems);

    /// <summary>The trainer for one unit (call <see cref="CheckInputs"/> first; a mismatch then fails at schema time).</summary>
    public abstract IEstimator<ITransformer> CreateTrainer(TrainerSetup setup);
}
