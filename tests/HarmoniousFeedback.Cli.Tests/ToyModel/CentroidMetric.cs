namespace HarmoniousFeedback.Cli.Tests.ToyModel;

/// <summary>Distance of the nearest-centroid toy model.</summary>
public enum CentroidMetric { Euclidean, Manhattan }
