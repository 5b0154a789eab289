namespace HarmoniousFeedback.Cli.Tests.ToyModel;

/// <summary>Options of the toy model: its distance.</summary>
public sealed record NearestCentroidOptions
{
    public CentroidMetric Metric { get; init; } = CentroidMetric.Euclidean;
}
