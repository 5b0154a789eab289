namespace HarmoniousFeedback.MLNet;

/// <summary>
/// A fitted ML.NET model, or its input schema, cannot be saved through ML.NET's public API in a form that loads
/// back identically. <see cref="Problems"/> names every part that cannot (the transformer or column, and why).
/// </summary>
public sealed class MlNetModelSaveException : HarmoniousFeedbackException
{
    public MlNetModelSaveException(IReadOnlyList<string> problems, Exception? inner = null)
        : base("The model cannot be saved so that it loads back identically: " + string.Join("; ", problems), inner) => Problems = problems;

    /// <summary>One entry per part that cannot be saved.</summary>
    public IReadOnlyList<string> Problems { get; }
}
