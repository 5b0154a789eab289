using System.Text.Json;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary><c>ctx.MulticlassClassification.Trainers.Create(…)</c>: any registered model kind by name.</summary>
public static class RegistryCatalogExtensions
{
    /// <summary>
    /// The registered model <paramref name="modelType"/> (<c>hfb model list</c> lists them) on <paramref name="featureColumns"/>
    /// (one per view it reads), with hyperparameters by their registry names; the seed comes from the context.
    /// </summary>
    /// <example><c>ctx.MulticlassClassification.Trainers.Create("svm", ["Pooled"], new() { ["c"] = 10 })</c></example>
    public static RegisteredTrainer Create(this MulticlassTrainersCatalog catalog, string modelType, IReadOnlyList<string> featureColumns,
        IReadOnlyDictionary<string, object?>? parameters = null, string labelColumn = "Label", string? groupColumn = "Group", ModelRegistry? registry = null)
    {
        var json = parameters?.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, HarmoniousFeedback.IO.JsonDefaults.Options));
        var model = (registry ?? ModelRegistry.Default).Get(modelType).Configure(json, modelType);
        return new RegisteredTrainer(model, featureColumns, labelColumn, groupColumn, catalog.Context.NextComponentSeed());
    }

    /// <summary>One feature column (see <see cref="Create(MulticlassTrainersCatalog, string, IReadOnlyList{string}, IReadOnlyDictionary{string, object?}?, string, string?, ModelRegistry?)"/>).</summary>
    public static RegisteredTrainer Create(this MulticlassTrainersCatalog catalog, string modelType, string featureColumn = "Features",
        IReadOnlyDictionary<string, object?>? parameters = null, string labelColumn = "Label", string? groupColumn = "Group", ModelRegistry? registry = null)
        => catalog.Create(modelType, [featureColumn], parameters, labelColumn, groupColumn, registry);

    /// <summary>The registered model types (<see cref="ModelRegistry.Default"/>).</summary>
    public static IReadOnlyList<IModelKind> Available(this MulticlassTrainersCatalog catalog) => ModelRegistry.Default.Kinds;
}
