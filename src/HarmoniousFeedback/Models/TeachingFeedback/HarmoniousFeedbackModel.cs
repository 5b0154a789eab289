using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// A trained HFN / HFN–HFI: the network with its options, ready to predict feedback for performances
/// (<see cref="Predict"/>) and to be saved — as a checkpoint file with metadata (<see cref="Save"/>, <see cref="Load(string, out IReadOnlyDictionary{string, string})"/>),
/// or through the pipeline's model format by way of <see cref="OptionsJson"/> and <see cref="FromState"/>.
/// Each performance is run alone (batch of one, evaluation mode), so a prediction never depends on what else is predicted.
/// Predictions run through a frozen inference plan (<see cref="HfnInferencePlan"/>: batch norm folded into the encoder's
/// convolutions, reused buffers), built on first use and rebuilt whenever the network's parameters or buffers have changed
/// since; its outputs equal the engine's eval-mode forward pass up to float rounding.
/// </summary>
public sealed class HarmoniousFeedbackModel
{
    private readonly object _gate = new();
    private HfnInferencePlan? _plan;

    public HarmoniousFeedbackModel(HarmoniousFeedbackNetwork network, int seed)
    {
        Network = network;
        Seed = seed;
        network.Eval();
    }

    public HarmoniousFeedbackNetwork Network { get; }
    public HarmoniousFeedbackNetworkOptions Options => Network.Options;
    public int AlignmentFeatures => Network.AlignmentFeatures;
    /// <summary>Q, the measures of the note comparison with the score the model reads (0 = none; <see cref="HfnExample.Notes"/>).</summary>
    public int NoteFeatures => Network.NoteFeatures;
    public int Seed { get; }

    /// <summary>Per-epoch training reports (loss, validation loss, …): the training curve. Not saved.</summary>
    public IReadOnlyList<EpochReport> History { get; init; } = [];

    /// <summary>The learned relation matrix between the feedback dimensions, or null without HFI.</summary>
    public Tensor? DimensionRelations => Network.Integration?.Propagation.Adjacency;

    private static readonly JsonSerializerOptions Json = new() { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver, Converters = { new JsonStringEnumConverter() } };

    /// <summary>The network options as JSON (what <see cref="FromState"/> and <see cref="Load(string, out IReadOnlyDictionary{string, string})"/> read).</summary>
    public string OptionsJson => JsonSerializer.Serialize(Options, Json);

    /// <summary>Rebuilds a model from its options JSON, alignment and note feature counts, seed and state dict.</summary>
    /// <exception cref="CheckpointException">Unreadable options or weights that do not fit them.</exception>
    public static HarmoniousFeedbackModel FromState(string optionsJson, int alignmentFeatures, int seed, IReadOnlyDictionary<string, Tensor> state, string source, int noteFeatures = 0)
    {
        HarmoniousFeedbackNetworkOptions? options;
        try { options = JsonSerializer.Deserialize<HarmoniousFeedbackNetworkOptions>(optionsJson, Json); }
        catch (JsonException e) { throw new CheckpointException($"{source}: HFN options are not readable: {e.Message}", e); }
        if (options is null) throw new CheckpointException($"{source}: HFN options are missing");
        var net = new HarmoniousFeedbackNetwork(options, alignmentFeatures, seed, noteFeatures);
        net.LoadStateDict(state);
        return new HarmoniousFeedbackModel(net, seed);
    }

    /// <summary>
    /// Saves weights and options as an engine checkpoint (<see cref="Checkpoint"/>: versioned, SHA-256-checked, written
    /// atomically), with <paramref name="metadata"/> (e.g. the feature options and how the model was trained) beside them.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["kind"] = "hfn",
            ["hfn.options"] = OptionsJson,
            ["hfn.alignmentFeatures"] = AlignmentFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["hfn.seed"] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["hfn.noteFeatures"] = NoteFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Checkpoint.Capture(Network, null, 0, 0, metadata: meta).Save(path);
    }

    /// <summary>Loads a model saved by <see cref="Save"/>; <paramref name="metadata"/> returns everything recorded beside the weights.</summary>
    /// <exception cref="CheckpointException">A missing, foreign, corrupt or non-HFN file.</exception>
    public static HarmoniousFeedbackModel Load(string path, out IReadOnlyDictionary<string, string> metadata)
        => FromCheckpoint(Checkpoint.Load(path), path, out metadata);

    /// <summary>Loads a model saved by <see cref="Save"/> from its bytes (e.g. an embedded resource); <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="CheckpointException">Foreign, corrupt or non-HFN bytes.</exception>
    public static HarmoniousFeedbackModel Load(byte[] bytes, string source, out IReadOnlyDictionary<string, string> metadata)
        => FromCheckpoint(Checkpoint.Load(bytes, source), source, out metadata);

    private static HarmoniousFeedbackModel FromCheckpoint(Checkpoint c, string path, out IReadOnlyDictionary<string, string> metadata)
    {
        metadata = c.Metadata;
        if (!c.Metadata.TryGetValue("kind", out var kind) || kind != "hfn" || !c.Metadata.TryGetValue("hfn.options", out var json))
            throw new CheckpointException($"{path}: not an HFN model (a checkpoint without HFN options; expected one written by HarmoniousFeedbackModel.Save)");
        int k = int.Parse(c.Metadata.GetValueOrDefault("hfn.alignmentFeatures", "0"), System.Globalization.CultureInfo.InvariantCulture);
        int seed = int.Parse(c.Metadata.GetValueOrDefault("hfn.seed", "0"), System.Globalization.CultureInfo.InvariantCulture);
        int q = int.Parse(c.Metadata.GetValueOrDefault("hfn.noteFeatures", "0"), System.Globalization.CultureInfo.InvariantCulture);
        return FromState(json, k, seed, c.Model, path, q);
    }

    /// <summary>
    /// Predicts every performance (one at a time, evaluation mode, no gradients) with the frozen inference plan
    /// (<see cref="HfnInferencePlan"/>, rebuilt first if the network's weights changed). <paramref name="withAttention"/> also
    /// returns the attention maps (for figures). With <paramref name="notesOnly"/> the dominant issue, the dimension scores
    /// and HFI are decided from the note comparison alone (<see cref="HfnInferencePlan.Predict"/>): for a recording of an
    /// instrument unlike the training ones, with a model trained with modality dropout (docs/feedback.md).
    /// </summary>
    /// <exception cref="ShapeMismatchException">An example whose inputs do not fit the model (mel bins, reference, alignment features).</exception>
    /// <exception cref="OptionsValidationException"><paramref name="notesOnly"/> for a model without note features.</exception>
    public IReadOnlyList<HfnPrediction> Predict(IReadOnlyList<HfnExample> examples, bool withAttention = false, bool notesOnly = false)
    {
        var result = new HfnPrediction[examples.Count];
        lock (_gate)
        {
            Network.Eval();
            if (_plan is null || !_plan.IsCurrent) _plan = new HfnInferencePlan(Network);
            for (int i = 0; i < examples.Count; i++)
            {
                Check(examples[i]);
                result[i] = _plan.Predict(examples[i], withAttention, notesOnly);
            }
        }
        return result;
    }

    /// <summary>
    /// <see cref="Predict"/> through the engine's eval-mode <see cref="HarmoniousFeedbackNetwork.Forward(HfnBatch)"/> on a batch of one
    /// (the reference the inference plan is tested against).
    /// </summary>
    internal HfnPrediction PredictWithEngine(HfnExample e, bool withAttention = false, bool notesOnly = false)
    {
        lock (_gate)
        {
            Network.Eval();
            using var _ = Tensor.NoGrad();
            return PredictOne(e, withAttention, notesOnly);
        }
    }

    private HfnPrediction PredictOne(HfnExample e, bool withAttention, bool notesOnly)
    {
        Check(e);
        int p = Network.PoolFactor;
        var batch = HfnBatching.Inputs([e], [0], Options.ReferenceStream, AlignmentFeatures, p, NoteFeatures);
        var o = Network.Forward(batch, notesOnly);
        int tOut = o.FrameLengths[0], tPad = o.FrameDeficits.Shape[2];
        var frames = new float[tOut * 6];
        var d = o.FrameDeficits.Data;
        for (int j = 0; j < tOut; j++)
            for (int k = 0; k < 6; k++) frames[j * 6 + k] = d[k * tPad + j];
        var (starts, ends) = HfnBatching.FrameSpans(e.Student.FrameTimes.Length > 0 ? e.Student.FrameTimes[0] : 0, e.Hop, p, tOut);
        float[]? attention = null;
        if (withAttention && o.Attention is { } a)
        {
            int m = Options.NMels, t = batch.Frames;
            attention = new float[e.Frames * m];
            for (int i = 0; i < e.Frames; i++)
                for (int w = 0; w < m; w++) attention[i * m + w] = a.Data[w * t + i];
        }
        return new HfnPrediction(o.IssueLogits.Softmax(-1).ToArray(), o.Scores.ToArray(), o.Emotion.ToArray(), o.Factors?.ToArray(),
            frames, starts, ends, attention);
    }

    /// <summary>Throws <see cref="ShapeMismatchException"/> when <paramref name="e"/> does not fit this model.</summary>
    public void Check(HfnExample e)
    {
        if (e.Student.Columns != Options.NMels)
            throw new ShapeMismatchException($"HFN model expects {Options.NMels} mel bins, the performance's log-mel has {e.Student.Columns}");
        if (e.Frames < 1) throw new ShapeMismatchException("HFN model: the performance has no frames");
        if (!Options.ReferenceStream) return;
        if (e.Reference is null || e.Reference.Rows != e.Frames || e.Reference.Columns != Options.NMels)
            throw new ShapeMismatchException($"HFN model with the reference stream needs an aligned reference log-mel [{e.Frames} × {Options.NMels}], got {(e.Reference is null ? "none" : $"[{e.Reference.Rows} × {e.Reference.Columns}]")}");
        if (AlignmentFeatures > 0 && (e.Alignment is null || e.Alignment.Rows != e.Frames || e.Alignment.Columns != AlignmentFeatures))
            throw new ShapeMismatchException($"HFN model expects alignment features [{e.Frames} × {AlignmentFeatures}], got {(e.Alignment is null ? "none" : $"[{e.Alignment.Rows} × {e.Alignment.Columns}]")}");
        if (NoteFeatures > 0 && e.Notes?.Length != NoteFeatures)
            throw new ShapeMismatchException($"HFN model expects a note comparison with the score of {NoteFeatures} values (view score-notes; HfnExample.Notes), got {(e.Notes is null ? "none" : $"{e.Notes.Length}")}");
    }
}
