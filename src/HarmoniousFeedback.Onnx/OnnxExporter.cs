using System.Reflection;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.Onnx;

/// <summary>
/// Exports the engine's networks to ONNX files that run in ONNX Runtime and in ML.NET's <c>ApplyOnnxModel</c>:
/// a module or model (<see cref="Export(IOnnxExportable, OnnxExportOptions?)"/>), a fitted pipeline
/// (<see cref="Export(ITransformer, OnnxExportOptions?, string?)"/>) or a saved model file (<see cref="ExportFile"/>).
/// The graph is built by the core library (<see cref="OnnxGraphBuilder"/>); this class writes it as protobuf.
/// </summary>
/// <example>
/// <code>
/// var net = new Sequential(new Conv2d(1, 16, 3, padding: 1), new BatchNorm2d(16), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(16, 4));
/// net.Eval();
/// OnnxExporter.Export(net, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("logmel", "batch", 1, 128, "frames")], OutputNames = ["logits"] })
///     .Save("cnn.onnx");
/// </code>
/// </example>
public static class OnnxExporter
{
    /// <summary>
    /// Exports <paramref name="network"/> (a module implementing <see cref="IOnnxExportable"/>, or a model with its own
    /// signature). A plain module needs <see cref="OnnxExportOptions.Inputs"/>.
    /// </summary>
    /// <exception cref="OnnxExportException">A part of the network cannot be expressed in ONNX, or the inputs do not fit it.</exception>
    /// <exception cref="OptionsValidationException">Invalid options.</exception>
    public static OnnxExportResult Export(IOnnxExportable network, OnnxExportOptions? options = null)
    {
        var graph = OnnxGraphBuilder.Export(network, options ?? new OnnxExportOptions());
        return new OnnxExportResult(graph, OnnxProtoWriter.Serialize(graph), []);
    }

    /// <summary>The ONNX bytes of an already built graph.</summary>
    public static byte[] Serialize(OnnxGraph graph) => OnnxProtoWriter.Serialize(graph);

    /// <summary>Loads a saved toolkit model (<see cref="ModelFile"/>) and exports its network (see <see cref="Export(ITransformer, OnnxExportOptions?, string?)"/>).</summary>
    /// <exception cref="CheckpointException">The file is missing, corrupt or not a model file.</exception>
    /// <exception cref="OnnxExportException">The model has no exportable network.</exception>
    public static OnnxExportResult ExportFile(string modelPath, OnnxExportOptions? options = null)
    {
        if (!File.Exists(modelPath)) throw new CheckpointException($"{modelPath}: model file not found");
        if (IsCheckpoint(modelPath))
            throw new OnnxExportException($"{modelPath}: a training checkpoint (e.g. an HFN–HFI model from hfb feedback train), not a pipeline model file; "
                + "the HFN–HFI and multimodal networks have no ONNX export yet (their attention, factor and graph-propagation blocks do not write ONNX nodes). "
                + "Exportable: model files of pipelines whose network is LSTM(+AM) or built from Linear, Conv, BatchNorm, pooling, LSTM and attention layers (docs/onnx.md)");
        var model = ModelFile.Load(modelPath, out _);
        return Export(model, options, modelPath);
    }

    private static bool IsCheckpoint(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var f = File.OpenRead(path);
        return f.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(Checkpoint.Magic);
    }

    /// <summary>
    /// Exports the network of a fitted pipeline: the last step that is an <see cref="IOnnxExportableModel"/>, or a
    /// <see cref="MulticlassPredictionTransformer"/> whose model is one (e.g. the LSTM classifier). Steps before it
    /// (audio loading, feature extraction, normalisation) are not part of the graph; the result's
    /// <see cref="OnnxExportResult.Notes"/> name them and the column the network reads.
    /// </summary>
    /// <param name="model">A fitted pipeline (a chain or a single step), e.g. from <c>ctx.Model.Load</c>.</param>
    /// <param name="options">Opset, input/output names; null: opset 17 and the model's own signature.</param>
    /// <param name="source">Shown in errors (e.g. the model file's path).</param>
    /// <exception cref="OnnxExportException">No step has an exportable network — e.g. a classical SVM, LDA or logistic regression
    /// (the message says which and what to use instead).</exception>
    public static OnnxExportResult Export(ITransformer model, OnnxExportOptions? options = null, string? source = null)
    {
        string where = source ?? "model";
        var steps = Steps(model).ToList();
        int index = steps.FindLastIndex(s => s is IOnnxExportableModel or MulticlassPredictionTransformer);
        if (index < 0)
            throw new OnnxExportException($"{where}: no step of the pipeline is a trained predictor ({string.Join(" → ", steps.Select(s => s.GetType().Name))}); there is no network to export");
        var step = steps[index];
        IOnnxExportableModel network = step as IOnnxExportableModel
            ?? ((MulticlassPredictionTransformer)step).Model as IOnnxExportableModel
            ?? throw NotExportable(where, ((MulticlassPredictionTransformer)step).Model);

        var notes = new List<string>();
        if (step is MulticlassPredictionTransformer p)
            notes.Add($"the network reads the pipeline column '{p.FeatureColumn}' as its first input; class names are in the metadata entry 'classes'");
        if (index > 0)
            notes.Add($"not in the graph (run them with the toolkit to make the inputs): {string.Join(" → ", steps.Take(index).Select(s => s.GetType().Name))}");
        if (index < steps.Count - 1)
            notes.Add($"not in the graph (steps after the network): {string.Join(" → ", steps.Skip(index + 1).Select(s => s.GetType().Name))}");
        var graph = OnnxGraphBuilder.Export(network, options ?? new OnnxExportOptions());
        return new OnnxExportResult(graph, OnnxProtoWriter.Serialize(graph), notes);
    }

    /// <summary>The steps of a (possibly nested) transformer chain in order.</summary>
    private static IEnumerable<ITransformer> Steps(ITransformer t)
    {
        var type = t.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TransformerChain<>))
        {
            // TransformerChain<TLast> is generic in its last step's type; its step list is the same for every TLast
            var inner = (IReadOnlyList<ITransformer>)type.GetProperty(nameof(TransformerChain<ITransformer>.Transformers), BindingFlags.Public | BindingFlags.Instance)!.GetValue(t)!;
            foreach (var s in inner)
                foreach (var x in Steps(s)) yield return x;
        }
        else yield return t;
    }

    private static OnnxExportException NotExportable(string where, IMulticlassModel model)
    {
        string what = model is ClassicalMulticlassModel c ? $"a classical {c.Model.GetType().Name}" : $"a {model.GetType().Name}";
        return new OnnxExportException(
            $"{where}: the predictor is {what}, which has no ONNX export — only the engine's neural networks export (e.g. the LSTM classifier, "
            + "ctx.MulticlassClassification.Trainers.Lstm); use it through the toolkit (ctx.Model.Load + Transform) or train an ML.NET trainer on the same features and let ML.NET save it");
    }
}
