namespace HarmoniousFeedback.Experiments;

/// <summary>One test clip of a unit: its id, true and predicted class, and the class scores (in <see cref="UnitResult.Classes"/> order).</summary>
public sealed record UnitPrediction(string ClipId, string Truth, string Predicted, float[] Probabilities);
