using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Experiments;

/// <summary>A model row of the plan: its spec, its registered kind with validated options, and the feature views it reads (in order).</summary>
public sealed record PlannedModel(ModelSpec Spec, ConfiguredModel Model, IReadOnlyList<string> Views)
{
    public string Name => Spec.Name;

    /// <summary>The spec entry's name when this row is one point of a sweep (<see cref="ModelSpec.Grid"/>/<see cref="ModelSpec.Seeds"/>), else null.</summary>
    public string? SweepOf { get; init; }

    /// <summary>The grid coordinates of this row (parameter → value as written), empty outside a sweep.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SweepPoint { get; init; } = [];

    /// <summary>The training seed of this row when the sweep lists seeds.</summary>
    public int? SweepSeed { get; init; }
}
