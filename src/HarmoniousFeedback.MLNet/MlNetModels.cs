using HarmoniousFeedback.MLNet.Trainers;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.MLNet;

/// <summary>Registers the ML.NET baselines in a model registry (default: the process-wide one): <c>mlnet-lightgbm</c>, <c>mlnet-sdca</c>, <c>mlnet-fasttree</c>.</summary>
public static class MLNetModels
{
    /// <summary>Registers the three kinds (idempotent). <c>hfb</c> calls this at start-up; a notebook or program calls it once.</summary>
    public static ModelRegistry Register(ModelRegistry? registry = null)
    {
        registry ??= ModelRegistry.Default;
        registry.Register(new LightGbmModelKind());
        registry.Register(new SdcaMaximumEntropyModelKind());
        registry.Register(new FastTreeOvaModelKind());
        return registry;
    }
}
