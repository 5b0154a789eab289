namespace HarmoniousFeedback.Experiments;

/// <summary>A unit's saved result: the test predictions of one model trained on one fold (and its training curve).</summary>
public sealed record UnitResult
{
    public required string Scheme { get; init; }
    public required string Model { get; init; }
    public required int Repeat { get; init; }
    public required int Fold { get; init; }
    public required int TrainCount { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required IReadOnlyList<UnitPrediction> Predictions { get; init; }
    public IReadOnlyList<EpochPoint> Curve { get; init; } = [];
    public double FitSeconds { get; init; }

    /// <summary>Share of the unit's test clips predicted correctly.</summary>
    public double Accuracy => Predictions.Count(p => p.Truth == p.Predicted) / (double)Math.Max(1, Predictions.Count);
}
