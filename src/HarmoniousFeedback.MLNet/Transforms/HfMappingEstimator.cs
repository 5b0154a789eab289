using HarmoniousFeedback.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HarmoniousFeedback.MLNet.Transforms;

/// <summary>
/// One toolkit step (audio loading, resampling, a feature extractor) as an ML.NET estimator, built only from public,
/// savable ML.NET parts so that <c>mlContext.Model.Save</c>/<c>Load</c> round-trips it in a fresh process:
/// <code>
///   CopyColumns(__hf_in ← input)                       the mapping's input column (its name is fixed)
///   [CustomMapping(audio → __hf_anchor)]               only for audio input: Expression reads primitive columns
///   Expression(__hf_options ← "&lt;options JSON&gt;")        the step's options, as a constant saved in the model
///   CustomMapping(__hf_in, __hf_options → __hf_out)    the toolkit code (contract "HarmoniousFeedback.MLNet.*")
///   CopyColumns(output ← __hf_out), DropColumns(__hf_*)
/// </code>
/// Why: ML.NET saves a <c>CustomMapping</c> as its contract name only and rebuilds it on load from the registered
/// factory, so column names, sizes and options given at construction would be lost; the steps around it carry them
/// in savable built-in transforms. Fitting learns nothing (the steps are stateless); the fitted chain is a
/// <see cref="TransformerChain{TLastTransformer}"/> of ML.NET transformers.
/// Schema errors are checked before any work and reported as <see cref="SchemaMismatchException"/> naming the step,
/// the column, and the expected and actual ML.NET types.
/// </summary>
public sealed class HfMappingEstimator : IEstimator<TransformerChain<ITransformer>>
{
    private readonly EstimatorChain<ITransformer> _chain;
    private readonly InputKind _inputKind;

    internal enum InputKind { Text, Audio }

    internal HfMappingEstimator(TransformsCatalog catalog, string stage, string outputColumnName, string inputColumnName, InputKind inputKind,
        string optionsText, string contract, Func<TransformsCatalog, IEstimator<ITransformer>> mapping, DataViewType outputType, int? featureSize)
    {
        if (string.IsNullOrEmpty(outputColumnName)) throw new SchemaMismatchException($"{stage}: the output column name is empty");
        if (string.IsNullOrEmpty(inputColumnName)) throw new SchemaMismatchException($"{stage}: the input column name is empty");
        Stage = stage;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        OutputType = outputType;
        FeatureSize = featureSize;
        Contract = contract;
        OptionsText = optionsText;
        _inputKind = inputKind;
        var steps = new List<IEstimator<ITransformer>> { catalog.CopyColumns(HfColumns.In, inputColumnName) };
        string anchor = HfColumns.In;
        if (inputKind == InputKind.Audio)
        {
            steps.Add(catalog.CustomMapping(new HfAudioAnchorFactory().GetMapping(), HfContracts.AudioAnchor));
            anchor = HfColumns.Anchor;
        }
        // A verbatim literal of ML.NET's expression language: only the double quote needs escaping ("").
        steps.Add(catalog.Expression(HfColumns.Options, $"(x) : @\"{optionsText.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", anchor));
        steps.Add(mapping(catalog));
        steps.Add(catalog.CopyColumns(outputColumnName, HfColumns.Out));
        steps.Add(catalog.DropColumns(inputKind == InputKind.Audio
            ? [HfColumns.In, HfColumns.Anchor, HfColumns.Options, HfColumns.Out]
            : [HfColumns.In, HfColumns.Options, HfColumns.Out]));
        var chain = new EstimatorChain<ITransformer>();
        foreach (var step in steps) chain = chain.Append(step);
        _chain = chain;
    }

    /// <summary>The step's name as its catalog method is called (e.g. <c>HfMfcc</c>), used in errors.</summary>
    public string Stage { get; }

    public string OutputColumnName { get; }

    public string InputColumnName { get; }

    /// <summary>The ML.NET type of the output column: <see cref="AudioClipDataViewType"/>, a variable-size
    /// <c>Vector&lt;Single&gt;</c> (a sequence [T × <see cref="FeatureSize"/>] flattened row-major) or a known-size vector.</summary>
    public DataViewType OutputType { get; }

    /// <summary>For a sequence output: F, the features per frame/segment (a row has T·F values); otherwise null.</summary>
    public int? FeatureSize { get; }

    /// <summary>The CustomMapping contract that computes the step (saved in the model).</summary>
    public string Contract { get; }

    /// <summary>The step's options as saved in the model (JSON).</summary>
    public string OptionsText { get; }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var col = inputSchema.FirstOrDefault(c => c.Name == InputColumnName);
        if (col.Name is null) throw Missing(inputSchema.Select(c => c.Name));
        bool ok = col.Kind == SchemaShape.Column.VectorKind.Scalar && !col.IsKey && Accepts(col.ItemType);
        if (!ok) throw WrongType(Describe(col));
        return _chain.GetOutputSchema(inputSchema);
    }

    public TransformerChain<ITransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var col = input.Schema.GetColumnOrNull(InputColumnName) ?? throw Missing(input.Schema.Where(c => !c.IsHidden).Select(c => c.Name));
        if (!Accepts(col.Type)) throw WrongType(col.Type.ToString() ?? col.Type.GetType().Name);
        return _chain.Fit(input);
    }

    private bool Accepts(DataViewType type) => _inputKind == InputKind.Text ? type is TextDataViewType : type is AudioClipDataViewType;

    private SchemaMismatchException Missing(IEnumerable<string> available) => new(
        $"{Stage}('{OutputColumnName}'): input column '{InputColumnName}' not found; expected {Expected}. Available columns: {string.Join(", ", available)}.{Hint}");

    private SchemaMismatchException WrongType(string actual) => new(
        $"{Stage}('{OutputColumnName}'): column '{InputColumnName}' is {actual} but {Expected} is expected.{Hint}");

    private string Expected => _inputKind == InputKind.Text ? "Text (a file path)" : "Audio (HarmoniousFeedback's AudioClip type)";

    private string Hint => _inputKind == InputKind.Audio ? " Load audio first: mlContext.Transforms.HfLoadAudio(\"Audio\", \"Path\")." : "";

    private static string Describe(SchemaShape.Column c) => c.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => c.IsKey ? $"Key<{c.ItemType}>" : c.ItemType.ToString() ?? "",
        SchemaShape.Column.VectorKind.Vector => $"Vector<{c.ItemType}> (known size)",
        _ => $"Vector<{c.ItemType}> (variable size)",
    };
}
