using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Experiments;

/// <summary>A model row of the plan: its spec, its registered kind with validated options, and the feature views it reads (in order).</summary>
public sealed record PlannedModel(ModelSpec Spec, ConfiguredModel Model, IReadOnlyList<string> Views)
{
    public string Name => Spec.Name;
}
