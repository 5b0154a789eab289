namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// The entry point of the pipeline API (ML.NET's <c>MLContext</c>): holds the seed every stochastic component
/// derives its own seed from, and the catalogs of transforms, trainers, evaluators and model I/O. Stages add their
/// catalog methods as extension methods (e.g. <c>ctx.Transforms.Mfcc(...)</c>), and so can users.
/// </summary>
public sealed class HfContext
{
    private int _componentCounter;

    public HfContext(int seed = 0)
    {
        Seed = seed;
        Transforms = new TransformsCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Regression = new RegressionCatalog(this);
        Model = new ModelOperationsCatalog(this);
    }

    /// <summary>The context seed; same seed + same calls in the same order → the same results.</summary>
    public int Seed { get; }

    public TransformsCatalog Transforms { get; }
    public MulticlassClassificationCatalog MulticlassClassification { get; }
    public RegressionCatalog Regression { get; }
    public ModelOperationsCatalog Model { get; }

    /// <summary>
    /// A seed for the next stochastic component: a fixed function of the context seed and the number of components
    /// created before (<see cref="SplitMix64.DeriveSeed"/>), so a script that builds the same components gets the same seeds.
    /// </summary>
    public int NextComponentSeed() => SplitMix64.DeriveSeed(Seed, Interlocked.Increment(ref _componentCounter));
}
