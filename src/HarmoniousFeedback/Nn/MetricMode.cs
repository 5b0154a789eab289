namespace HarmoniousFeedback.Nn;

/// <summary>Whether a smaller or a larger metric is better.</summary>
public enum MetricMode { Min, Max }
