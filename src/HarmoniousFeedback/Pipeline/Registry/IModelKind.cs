using System.Text.Json;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// A kind of model the toolkit can train, as the registry knows it: its name (<c>lstm</c>, <c>svm</c>, …), the
/// hyperparameters it accepts, and how to turn validated hyperparameters into a trainer. Implement it by deriving from
/// <see cref="ModelKind{TOptions}"/>, which keeps the options typed; the experiment runner, <c>hfb baseline</c>,
/// <c>hfb reproduce</c>, <c>hfb model list</c>, the pipeline catalogs and docs/models.md all read the registry
/// (<see cref="ModelRegistry"/>), so a registered kind is usable everywhere at once.
/// </summary>
public interface IModelKind
{
    /// <summary>The name experiment specs and the CLI use (lower case, e.g. <c>lstm</c>, <c>svm</c>, <c>mlnet-lightgbm</c>).</summary>
    string Name { get; }

    /// <summary>One line: what the model is, with its reference.</summary>
    string Summary { get; }

    /// <summary>The hyperparameters, in the order they are read (name, type, default, allowed values, description).</summary>
    IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>
    /// Parses and validates <paramref name="parameters"/>; every problem (unknown names, wrong types, values out of
    /// range) is reported at once as an <see cref="OptionsValidationException"/> whose messages start with <paramref name="at"/>.
    /// </summary>
    ConfiguredModel Configure(IReadOnlyDictionary<string, JsonElement>? parameters, string at = "params");
}
