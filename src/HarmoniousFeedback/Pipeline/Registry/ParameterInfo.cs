namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>One declared hyperparameter: what <c>hfb model list</c> and docs/models.md print.</summary>
/// <param name="Name">The JSON/CLI name (PyTorch/scikit-learn style: <c>lr</c>, <c>hidden</c>, <c>c</c>, <c>gamma</c>).</param>
/// <param name="Type">number, integer, boolean, string, …</param>
/// <param name="Default">The default as text.</param>
/// <param name="Allowed">Allowed values or range, when restricted.</param>
/// <param name="Description">What it does.</param>
public sealed record ParameterInfo(string Name, string Type, string? Default, string? Allowed, string Description);
