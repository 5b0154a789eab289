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
    /// created before (SplitMix64 of both), so a script that builds the same components gets the same seeds.
    /// </summary>
    public int NextComponentSeed()
    {
        ulong z = (ulong)(uint)Seed * 0x9E3779B97F4A7C15UL + (ulong)Interlocked.Increment(ref _componentCounter);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}
