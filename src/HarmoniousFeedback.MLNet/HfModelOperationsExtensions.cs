using HarmoniousFeedback.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace HarmoniousFeedback.MLNet;

/// <summary>
/// Saving and loading ML.NET models that contain toolkit steps, on <c>mlContext.Model</c>. ML.NET's own
/// <c>Save</c> works too; these add what it does not do:
/// <list type="bullet">
/// <item><see cref="HfSave"/> refuses, with <see cref="MlNetModelSaveException"/>, what would not load back identically:
/// a step that cannot be saved (e.g. a <c>CustomMapping</c> without a contract name — ML.NET throws a bare
/// <c>InvalidOperationException</c> for it) and input-schema columns of a type ML.NET's saver leaves out silently
/// (it only logs "will not be written"), such as <see cref="Data.AudioClipDataViewType"/>. It writes atomically.</item>
/// <item><see cref="HfLoad"/> turns a load failure into a <see cref="CheckpointException"/> that names the file and the likely fix.</item>
/// </list>
/// </summary>
public static class HfModelOperationsExtensions
{
    /// <summary>Registers the toolkit's CustomMapping factories with <paramref name="catalog"/>'s context (idempotent).</summary>
    public static void RegisterHarmoniousFeedback(this ComponentCatalog catalog) => catalog.RegisterAssembly(typeof(HfMappingEstimator).Assembly);

    /// <summary>
    /// Every reason <paramref name="model"/> with <paramref name="inputSchema"/> would not save and load back
    /// identically (empty when it will).
    /// </summary>
    public static IReadOnlyList<string> HfSaveProblems(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var problems = new List<string>();
        foreach (var c in inputSchema.Where(c => !c.IsHidden))
            if (!IsSavable(c.Type))
                problems.Add($"input column '{c.Name}' has type {c.Type}, which ML.NET cannot write into a model's input schema (its saver would leave the column out " +
                             "and log it); pass the schema of the data before that column exists (e.g. the paths before HfLoadAudio)");
        try
        {
            using var ms = new MemoryStream();
            catalog.Save(model, inputSchema, ms);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"a step of the model cannot be saved: {e.Message} (a CustomMapping needs a contract name and a factory class with " +
                         "[CustomMappingFactoryAttribute]; the toolkit's Hf* steps have both)");
        }
        return problems;
    }

    /// <summary>
    /// Saves <paramref name="model"/> with <paramref name="inputSchema"/> to <paramref name="path"/> (ML.NET's zip
    /// format, written through <see cref="IO.AtomicFile"/>), after checking <see cref="HfSaveProblems"/>.
    /// </summary>
    public static void HfSave(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path)
    {
        var problems = catalog.HfSaveProblems(model, inputSchema);
        if (problems.Count > 0) throw new MlNetModelSaveException(problems);
        IO.AtomicFile.Write(path, stream => catalog.Save(model, inputSchema, stream));
    }

    /// <summary>
    /// Loads a model saved by ML.NET (with or without toolkit steps). ML.NET itself loads and registers the assembly a
    /// CustomMapping step names (it is saved with the contract), so a program that references HarmoniousFeedback.MLNet
    /// needs no registration call; <c>mlContext.ComponentCatalog.RegisterHarmoniousFeedback()</c> is there for hosts
    /// that load the assembly from elsewhere.
    /// </summary>
    public static ITransformer HfLoad(this ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: model file not found");
        try
        {
            return catalog.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException)
        {
            throw new CheckpointException($"{path}: ML.NET cannot load the model: {e.Message}. If it names a contract, register the assembly that defines " +
                                          "its CustomMappingFactory (mlContext.ComponentCatalog.RegisterAssembly) before loading.", e);
        }
    }

    /// <summary>True for the types ML.NET's binary saver writes (primitive columns, keys, vectors of primitives).</summary>
    private static bool IsSavable(DataViewType type) => type switch
    {
        VectorDataViewType v => IsSavable(v.ItemType),
        PrimitiveDataViewType => true,
        _ => false,
    };
}
