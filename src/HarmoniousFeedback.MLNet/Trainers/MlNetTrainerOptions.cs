using System.Text.Json.Serialization;
using Microsoft.ML;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// Options shared by the ML.NET baseline trainers (<see cref="MlNetClassifier"/>): the seed and the thread count that
/// make a run reproducible. Property names are ML.NET's (<c>Seed</c>, <c>NumberOfThreads</c>); the concrete records
/// (<see cref="LightGbmTrainerOptions"/>, <see cref="SdcaMaximumEntropyTrainerOptions"/>, <see cref="FastTreeOvaTrainerOptions"/>)
/// add each trainer's own hyperparameters under ML.NET's names and defaults.
/// </summary>
[JsonDerivedType(typeof(LightGbmTrainerOptions), "mlnet-lightgbm")]
[JsonDerivedType(typeof(SdcaMaximumEntropyTrainerOptions), "mlnet-sdca")]
[JsonDerivedType(typeof(FastTreeOvaTrainerOptions), "mlnet-fasttree")]
public abstract record MlNetTrainerOptions
{
    /// <summary>Seed of the <c>MLContext</c> and of the trainer's own random choices. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Threads the trainer may use (1 – 256). Default 1: ML.NET's multi-threaded SDCA, LightGBM and FastTree are not
    /// reproducible run to run; with 1 thread and a fixed <see cref="Seed"/> they are (tested).
    /// </summary>
    public int NumberOfThreads { get; init; } = 1;

    /// <summary>The model name the experiment registry knows this trainer by (<c>mlnet-lightgbm</c>, <c>mlnet-sdca</c>, <c>mlnet-fasttree</c>).</summary>
    [JsonIgnore]
    public abstract string ModelName { get; }

    /// <summary>Checks every option and throws one <see cref="OptionsValidationException"/> listing all problems.</summary>
    public void Validate()
    {
        var v = new OptionsValidator(GetType().Name);
        v.InRange(nameof(NumberOfThreads), NumberOfThreads, 1, 256);
        AddProblems(v);
        v.ThrowIfAny();
    }

    private protected abstract void AddProblems(OptionsValidator v);

    /// <summary>The ML.NET trainer for these options (label: a key column; features: a known-size Vector&lt;Single&gt;).</summary>
    internal abstract IEstimator<ITransformer> CreateTrainer(MLContext ml, string labelColumnName, string featureColumnName);
}
