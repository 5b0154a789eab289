using System.Reflection;
using HarmoniousFeedback.Models.TeachingFeedback;
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

    /// <summary>
    /// Loads a saved toolkit model and exports its network: a pipeline model file (<see cref="ModelFile"/>; see
    /// <see cref="Export(ITransformer, OnnxExportOptions?, string?)"/>) or an HFN / HFN–HFI checkpoint
    /// (<see cref="HarmoniousFeedbackModel.Save"/>, e.g. from <c>hfb feedback train</c>; see
    /// <see cref="Export(HarmoniousFeedbackModel, OnnxExportOptions?, IReadOnlyDictionary{string, string}?)"/>).
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, corrupt or not a model file.</exception>
    /// <exception cref="OnnxExportException">The model has no exportable network (e.g. a checkpoint of another kind).</exception>
    public static OnnxExportResult ExportFile(string modelPath, OnnxExportOptions? options = null)
    {
        if (!File.Exists(modelPath)) throw new CheckpointException($"{modelPath}: model file not found");
        if (IsCheckpoint(modelPath))
        {
            var kind = Checkpoint.Load(modelPath).Metadata.GetValueOrDefault("kind");
            if (kind != "hfn")
                throw new OnnxExportException($"{modelPath}: a training checkpoint of kind '{kind ?? "(none)"}', not a pipeline model file or an HFN model; "
                    + "only HFN / HFN–HFI checkpoints (kind 'hfn', HarmoniousFeedbackModel.Save, hfb feedback train) export from a checkpoint — the multimodal networks have no ONNX export yet. "
                    + "Exportable: HFN / HFN–HFI checkpoints and model files of pipelines whose network is LSTM(+AM), HFN or built from Linear, Conv, BatchNorm, pooling, LSTM and attention layers (docs/onnx.md)");
            var hfn = HarmoniousFeedbackModel.Load(modelPath, out var metadata);
            return Export(hfn, options, metadata);
        }
        var model = ModelFile.Load(modelPath, out _);
        return Export(model, options, modelPath);
    }

    /// <summary>
    /// Exports a trained HFN / HFN–HFI (<see cref="HarmoniousFeedbackNetwork.OnnxSignature"/>: inputs <c>student</c>,
    /// <c>reference</c>, <c>alignment</c>, <c>lengths</c> as the model uses them; outputs issue logits and
    /// probabilities, scores, emotion, per-frame deficits, factors and attention). The entries of
    /// <paramref name="checkpointMetadata"/> (the feature options the model was trained with, how it was trained) are
    /// copied into the ONNX metadata where the graph does not define the key itself.
    /// </summary>
    /// <exception cref="OnnxExportException">The inputs given in <paramref name="options"/> do not fit the network.</exception>
    public static OnnxExportResult Export(HarmoniousFeedbackModel model, OnnxExportOptions? options = null, IReadOnlyDictionary<string, string>? checkpointMetadata = null)
    {
        options ??= new OnnxExportOptions();
        var own = model.Network.OnnxSignature.Metadata.Select(kv => kv.Key).Concat(options.Metadata.Select(kv => kv.Key)).Append("source_type").ToHashSet(StringComparer.Ordinal);
        var extra = (checkpointMetadata ?? new Dictionary<string, string>()).Where(kv => !own.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal);
        var graph = OnnxGraphBuilder.Export(model.Network, options with { Metadata = [.. options.Metadata, .. extra] });
        return new OnnxExportResult(graph, OnnxProtoWriter.Serialize(graph), FeedbackNotes(model));
    }

    private static List<string> FeedbackNotes(HarmoniousFeedbackModel model)
    {
        var o = model.Options;
        var notes = new List<string>
        {
            $"not in the graph (compute them with the toolkit, e.g. HfnExample.From(ReferenceAlignment.Compute(...)) as hfb feedback does): the student's normalised log-mel, "
            + $"a [frames × {o.NMels}] matrix fed transposed as 'student' [batch, 1, {o.NMels}, time]"
            + (o.ReferenceStream ? ", the score's rendition aligned to it by DTW ('reference', same layout)" : "")
            + (model.AlignmentFeatures > 0 ? $" and its {model.AlignmentFeatures} per-frame alignment features ('alignment' [batch, {model.AlignmentFeatures}, time])" : "")
            + (model.NoteFeatures > 0 ? $", the clip's note comparison with the score (ScoreInformedComparison, view score-notes: 'notes' [batch, {model.NoteFeatures}], raw values; the graph standardises them)" : "")
            + $"; 'lengths' = valid frames per clip (zero-padded batches); time >= {model.Network.PoolFactor} frames",
            "class, dimension and emotion names are in the metadata entries 'issue_classes', 'dimensions' and 'emotion_targets'",
        };
        return notes;
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
        int index = steps.FindLastIndex(s => s is IOnnxExportableModel or MulticlassPredictionTransformer or FeedbackPredictionTransformer);
        if (index < 0)
            throw new OnnxExportException($"{where}: no step of the pipeline is a trained predictor ({string.Join(" → ", steps.Select(s => s.GetType().Name))}); there is no network to export");
        var step = steps[index];
        if (step is FeedbackPredictionTransformer feedback)
        {
            var exported = Export(feedback.Model, options);
            var columns = $"the network reads the pipeline column '{feedback.Student}' as 'student'"
                + (feedback.Reference is null ? "" : $", '{feedback.Reference}' as 'reference'")
                + (feedback.Alignment is null ? "" : $", '{feedback.Alignment}' as 'alignment'") + " (each [frames × features] matrix transposed to [features, frames])"
                + (feedback.Notes is null || feedback.Model.NoteFeatures == 0 ? "" : $", and the vector column '{feedback.Notes}' as 'notes'");
            var pipelineNotes = new List<string> { columns };
            if (index > 0) pipelineNotes.Add($"not in the graph (run them with the toolkit to make the inputs): {string.Join(" → ", steps.Take(index).Select(s => s.GetType().Name))}");
            return new OnnxExportResult(exported.Graph, exported.Bytes, [.. pipelineNotes, .. exported.Notes]);
        }
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
