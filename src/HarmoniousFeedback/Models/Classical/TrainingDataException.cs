namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Training or prediction data a classical model cannot use: a single class, NaN/∞ features, ragged rows,
/// a feature count that differs from the one the model was fitted with. Raised before any work starts; the
/// message names the argument, the offending row/column and value, and what is allowed.
/// </summary>
public sealed class TrainingDataException : HarmoniousFeedbackException
{
    public TrainingDataException(string message) : base(message) { }
}
