using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Trains an <see cref="LstmEmotionClassifier"/> on a sequence column (e.g. min–max-normalised LLD segments
/// [T × 50]) with string labels. Mini-batches are zero-padded to the longest sequence in the batch and carry the
/// lengths (the LSTM and attention ignore padded steps). With <see cref="LstmClassifierOptions.ValidationFraction"/>
/// &gt; 0 a share of the training <em>groups</em> (songs, from <see cref="GroupColumn"/>) is held out — never rows of a
/// song on both sides — and early stopping keeps the weights of the epoch with the lowest validation loss.
/// Deterministic for a given seed and thread count.
/// </summary>
public sealed class LstmClassifierTrainer : MulticlassTrainerBase
{
    public LstmClassifierTrainer(MulticlassColumns columns, LstmClassifierOptions options, int seed, string? groupColumn = "Group") : base(columns)
    {
        options.Validate();
        Options = options;
        Seed = seed;
        GroupColumn = groupColumn;
    }

    public LstmClassifierOptions Options { get; }
    public int Seed { get; }
    /// <summary>Column with group ids (songs) for the validation split; absent column → rows are split individually.</summary>
    public string? GroupColumn { get; }
    /// <summary>Receives one report per epoch (progress bars, training curves in notebooks).</summary>
    public IProgress<EpochReport>? Observer { get; init; }

    protected override IReadOnlyList<ColumnType> AcceptedFeatureTypes { get; } = [ColumnType.Sequence(0)];

    protected override IMulticlassModel Train(object[] x, int[] y, string[] classes) => Train(null, x, y, classes);

    protected override IMulticlassModel Train(DataTable? input, object[] x, int[] y, string[] classes)
    {
        var seqs = x.Cast<FeatureMatrix>().ToArray();
        for (int i = 0; i < seqs.Length; i++)
            if (seqs[i].Rows == 0) throw new DatasetException($"{Stage}: row {i} has an empty sequence (0 segments); clips shorter than one segment need the LLD 'keep last segment' rule");
        int inputSize = seqs[0].Columns;
        var groups = input is not null && GroupColumn is not null && input.Schema.Contains(GroupColumn)
            ? input.Column<string>(GroupColumn).ToArray()
            : Enumerable.Range(0, seqs.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (trainIdx, valIdx) = ValidationSplit(groups, Options.ValidationFraction, Seed);

        var net = new LstmEmotionClassifier(inputSize, Options.HiddenSize, Options.Layers, classes.Length, Options.Attention, Options.AttentionDim, Options.Dropout, Seed);
        Optimizer opt = Options.Optimizer switch
        {
            OptimizerKind.Sgd => new SGD(net.Parameters(), Options.LearningRate, momentum: Options.Momentum, weightDecay: Options.WeightDecay),
            OptimizerKind.Adam => new Adam(net.Parameters(), Options.LearningRate, weightDecay: Options.WeightDecay),
            _ => new AdamW(net.Parameters(), Options.LearningRate, weightDecay: Options.WeightDecay),
        };
        Tensor? classWeight = null;
        if (Options.BalancedClassWeights)
        {
            var counts = new float[classes.Length];
            foreach (var i in trainIdx) counts[y[i]]++;
            classWeight = Tensor.FromArray(counts.Select(c => c > 0 ? trainIdx.Length / (classes.Length * c) : 0f).ToArray(), classes.Length);
        }

        IReadOnlyDictionary<string, Tensor>? best = null;
        double bestVal = double.PositiveInfinity;
        Func<IReadOnlyDictionary<string, double>>? evaluate = null;
        if (valIdx.Length > 0)
        {
            evaluate = () =>
            {
                var (loss, acc) = Score(net, seqs, y, valIdx, classWeight);
                if (loss < bestVal)
                {
                    bestVal = loss;
                    best = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
                }
                return new Dictionary<string, double> { ["val_loss"] = loss, ["val_accuracy"] = acc };
            };
        }
        var trainer = new Trainer(net, opt, new TrainerOptions
        {
            Epochs = Options.MaxEpochs, BatchSize = Options.BatchSize, Shuffle = true, Seed = Seed,
            ClipGradNorm = Options.ClipGradNorm, MonitorMetric = valIdx.Length > 0 ? "val_loss" : "loss",
        })
        {
            Evaluate = evaluate,
            EarlyStopping = Options.EarlyStoppingPatience is int p && valIdx.Length > 0 ? new EarlyStopping(p) : null,
            Observer = Observer,
        };
        var history = trainer.Fit(trainIdx.Length, batch =>
        {
            var rows = batch.Select(b => trainIdx[b]).ToArray();
            var (xb, lengths) = Pad(seqs, rows);
            var (logits, _) = net.Forward(xb, lengths);
            return F.CrossEntropy(logits, rows.Select(r => (long)y[r]).ToArray(), classWeight);
        });
        if (best is not null) net.LoadStateDict(best);
        net.Eval();
        return new LstmMulticlassModel(classes, inputSize, Options, Seed, net) { History = history };
    }

    /// <summary>Deterministic grouped hold-out: shuffle the distinct groups (seeded), hold out ⌈fraction·groups⌉ of them.</summary>
    internal static (int[] Train, int[] Validation) ValidationSplit(string[] groups, double fraction, int seed)
    {
        if (fraction <= 0) return (Enumerable.Range(0, groups.Length).ToArray(), []);
        var distinct = groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 2) return (Enumerable.Range(0, groups.Length).ToArray(), []);
        var order = new NnRng(unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 17)).Permutation(distinct.Length);
        int nVal = Math.Clamp((int)Math.Ceiling(fraction * distinct.Length), 1, distinct.Length - 1);
        var val = new HashSet<string>(order.Take(nVal).Select(i => distinct[i]), StringComparer.Ordinal);
        var t = new List<int>();
        var v = new List<int>();
        for (int i = 0; i < groups.Length; i++) (val.Contains(groups[i]) ? v : t).Add(i);
        return (t.ToArray(), v.ToArray());
    }

    /// <summary>Zero-pads the sequences <paramref name="rows"/> into x [B, Tmax, F] with their lengths.</summary>
    internal static (Tensor X, int[] Lengths) Pad(FeatureMatrix[] seqs, IReadOnlyList<int> rows)
    {
        int f = seqs[rows[0]].Columns, tMax = 0;
        foreach (var r in rows) tMax = Math.Max(tMax, seqs[r].Rows);
        var data = new float[rows.Count * tMax * f];
        var lengths = new int[rows.Count];
        for (int b = 0; b < rows.Count; b++)
        {
            var m = seqs[rows[b]];
            if (m.Columns != f) throw new ShapeMismatchException($"sequence {rows[b]} has {m.Columns} features, the first has {f}");
            m.Data.AsSpan().CopyTo(data.AsSpan(b * tMax * f));
            lengths[b] = m.Rows;
        }
        return (Tensor.FromArray(data, rows.Count, tMax, f), lengths);
    }

    private static (double Loss, double Accuracy) Score(LstmEmotionClassifier net, FeatureMatrix[] seqs, int[] y, int[] idx, Tensor? classWeight)
    {
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < idx.Length; s += 256)
        {
            var rows = idx.AsSpan(s, Math.Min(256, idx.Length - s)).ToArray();
            var (xb, lengths) = Pad(seqs, rows);
            var (logits, _) = net.Forward(xb, lengths);
            var targets = rows.Select(r => (long)y[r]).ToArray();
            loss += F.CrossEntropy(logits, targets, classWeight).Item() * rows.Length;
            var pred = logits.ArgMax(-1);
            for (int i = 0; i < rows.Length; i++) if (pred[i] == y[rows[i]]) correct++;
        }
        return (loss / idx.Length, (double)correct / idx.Length);
    }
}

/// <summary>
/// A trained <see cref="LstmEmotionClassifier"/> behind <see cref="IMulticlassModel"/>; saves its options and weights.
/// Exports to ONNX (<see cref="IOnnxExportableModel"/>) as the network plus a softmax: inputs <c>x</c> float
/// [batch, time, InputSize] and <c>lengths</c> int32 [batch]; outputs <c>probabilities</c> [batch, classes] (the
/// pipeline's <c>Score</c>), <c>logits</c> and, with attention, <c>attention_weights</c> [batch, time]; the class names
/// are in the metadata entry <c>classes</c> (JSON array, index order).
/// </summary>
public sealed class LstmMulticlassModel : IMulticlassModel, IOnnxExportableModel
{
    public LstmMulticlassModel(IReadOnlyList<string> classes, int inputSize, LstmClassifierOptions options, int seed, LstmEmotionClassifier network)
    {
        Classes = classes;
        InputSize = inputSize;
        Options = options;
        Seed = seed;
        Network = network;
    }

    public IReadOnlyList<string> Classes { get; }
    public int InputSize { get; }
    public LstmClassifierOptions Options { get; }
    public int Seed { get; }
    public LstmEmotionClassifier Network { get; }
    /// <summary>Per-epoch training reports (loss, validation loss/accuracy) — the training curve. Not saved.</summary>
    public IReadOnlyList<EpochReport> History { get; init; } = [];

    private readonly object _gate = new();

    public void PredictProbabilities(object input, Span<float> probabilities)
    {
        var p = new[] { new float[Classes.Count] };
        PredictProbabilitiesBatch([input], p);
        p[0].CopyTo(probabilities);
    }

    public void PredictProbabilitiesBatch(IReadOnlyList<object> inputs, float[][] probabilities)
    {
        var seqs = inputs.Cast<FeatureMatrix>().ToArray();
        for (int i = 0; i < seqs.Length; i++)
            if (seqs[i].Rows == 0 || seqs[i].Columns != InputSize)
                throw new ShapeMismatchException($"LSTM classifier: row {i} is a [{seqs[i].Rows} × {seqs[i].Columns}] sequence; it needs ≥ 1 step of {InputSize} features");
        lock (_gate) // the network's modules hold per-forward state; one inference at a time (GEMMs use both cores)
        {
            Network.Eval();
            using var _ = Tensor.NoGrad();
            for (int s = 0; s < seqs.Length; s += 256)
            {
                var rows = Enumerable.Range(s, Math.Min(256, seqs.Length - s)).ToArray();
                var (xb, lengths) = LstmClassifierTrainer.Pad(seqs, rows);
                var (logits, _) = Network.Forward(xb, lengths);
                var p = logits.Softmax(-1).Data;
                for (int i = 0; i < rows.Length; i++) p.Slice(i * Classes.Count, Classes.Count).CopyTo(probabilities[rows[i]]);
            }
        }
    }

    private static readonly JsonSerializerOptions Json = new() { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver, Converters = { new JsonStringEnumConverter() } };

    /// <inheritdoc cref="LstmMulticlassModel"/>
    public OnnxSignature OnnxSignature => new(Network.OnnxSignature.Inputs, ["probabilities", .. Network.OnnxSignature.Outputs])
    {
        Metadata =
        [
            new("classes", JsonSerializer.Serialize(Classes, HarmoniousFeedback.IO.JsonDefaults.Options)),
            new("task", "multiclass_classification"),
        ],
    };

    /// <summary>ONNX: (x, lengths?) → (probabilities = softmax(logits), logits, attention weights when present).</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        var outputs = graph.Emit(Network, "", [.. inputs]);
        return [graph.Softmax(outputs[0], 1), .. outputs];
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(Classes);
        writer.Write(InputSize);
        writer.Write(Seed);
        writer.Write(JsonSerializer.Serialize(Options, Json));
        var state = Network.StateDict();
        writer.Write(state.Count);
        foreach (var (name, t) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            writer.Write(t.Shape.ToArray());
            writer.Write(t.Data.ToArray());
        }
    }

    public static LstmMulticlassModel Load(ModelReader reader)
    {
        var classes = reader.ReadStringArray();
        int inputSize = reader.ReadInt32();
        int seed = reader.ReadInt32();
        var options = JsonSerializer.Deserialize<LstmClassifierOptions>(reader.ReadString(), Json)
            ?? throw new CheckpointException($"{reader.Source}: LSTM classifier options are missing");
        var net = new LstmEmotionClassifier(inputSize, options.HiddenSize, options.Layers, classes.Length, options.Attention, options.AttentionDim, options.Dropout, seed);
        int n = reader.ReadInt32();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            var name = reader.ReadString();
            var shape = reader.ReadInt32Array();
            state[name] = Tensor.FromArray(reader.ReadSingleArray(), shape);
        }
        try { net.LoadStateDict(state); }
        catch (Exception e) when (e is ArgumentException or ShapeMismatchException or KeyNotFoundException)
        {
            throw new CheckpointException($"{reader.Source}: LSTM classifier weights do not fit the architecture: {e.Message}", e);
        }
        net.Eval();
        return new LstmMulticlassModel(classes, inputSize, options, seed, net);
    }
}

public static class LstmTrainersCatalogExtensions
{
    /// <summary>
    /// The piano-emotion LSTM(+attention) classifier on a sequence column. <paramref name="options"/> defaults to
    /// <see cref="LstmClassifierOptions.Method"/>; the seed comes from the context.
    /// </summary>
    public static LstmClassifierTrainer Lstm(this MulticlassTrainersCatalog c, string featureColumn = "Lld", string labelColumn = "Label",
        LstmClassifierOptions? options = null, string? groupColumn = "Group", IProgress<EpochReport>? observer = null)
        => new(new MulticlassColumns(featureColumn, labelColumn), options ?? LstmClassifierOptions.Method, c.Context.NextComponentSeed(), groupColumn) { Observer = observer };
}
