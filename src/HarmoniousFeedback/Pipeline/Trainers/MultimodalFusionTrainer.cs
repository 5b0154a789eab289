using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Trains a <see cref="MultimodalFusion"/> network (or an ensemble of them) on several aligned input columns — one per
/// feature view, sequences [T × F] and/or clip vectors [F] — with string labels. Per unit: every input is z-scored with
/// statistics of the training rows only (<see cref="FeatureStandardizer"/>); each ensemble member j holds out its own
/// ⌈ValidationFraction · songs⌉ training songs (never rows of one song on both sides), trains with AdamW and
/// label-smoothed cross-entropy on the rest, stops early on the held-out loss and keeps its best epoch; the members'
/// class probabilities are averaged. Deterministic for a given seed and thread count.
/// </summary>
public sealed class MultimodalFusionTrainer : MultiInputTrainerBase
{
    public MultimodalFusionTrainer(IReadOnlyList<string> featureColumns, string labelColumn, MultimodalFusionOptions options, int seed, string? groupColumn = "Group")
        : base(featureColumns, labelColumn, groupColumn)
    {
        options.Validate();
        Options = options;
        Seed = seed;
    }

    public MultimodalFusionOptions Options { get; }
    public int Seed { get; }
    /// <summary>Receives one report per epoch of the first ensemble member (training curves).</summary>
    public IProgress<EpochReport>? Observer { get; init; }

    protected override IReadOnlyList<ColumnType> AcceptedTypes(int index) => [ColumnType.Sequence(0), ColumnType.Vector()];

    protected override void CheckInputs(IReadOnlyList<SchemaColumn> inputs, List<string> problems)
    {
        foreach (var c in inputs)
            if (c.Type is VectorType { Size: null })
                problems.Add($"input '{c.Name}' is {c.Type}, a variable-length vector (text tokens?); the fusion model reads segment sequences and fixed-size clip vectors (text goes to joint-audio-text)");
    }

    protected override IMultiInputModel Train(IReadOnlyList<SchemaColumn> columns, object[][] x, int[] y, string[] classes, string[] groups)
    {
        var specs = FeatureColumns.Select((c, m) => ModalityBatches.Describe(c, x[m])).ToArray();
        var all = Enumerable.Range(0, y.Length).ToArray();
        var scalers = specs.Select((s, m) => FeatureStandardizer.Fit(x[m], all, s.Features)).ToArray();
        Tensor? classWeight = Options.BalancedClassWeights ? BalancedWeights(y, classes.Length) : null;
        var members = new MultimodalFusion[Options.Ensemble];
        var seeds = new int[Options.Ensemble];
        for (int j = 0; j < members.Length; j++)
        {
            seeds[j] = MemberSeed(Seed, j);
            var (trainIdx, valIdx) = LstmClassifierTrainer.ValidationSplit(groups, Options.ValidationFraction, seeds[j]);
            var net = members[j] = new MultimodalFusion(specs, classes.Length, Options, seeds[j]);
            var opt = new AdamW(net.Parameters(), Options.LearningRate, weightDecay: Options.WeightDecay);
            Tensor Loss(int[] rows, float smoothing) =>
                F.CrossEntropy(net.Forward(Inputs(x, rows, specs, scalers)).Logits, rows.Select(r => (long)y[r]).ToArray(), classWeight, smoothing);
            EarlyStoppedFit.Run(net, opt, trainIdx, valIdx, rows => Loss(rows, Options.LabelSmoothing),
                rows => Score(net, x, y, rows, specs, scalers, classWeight), Options.MaxEpochs, Options.BatchSize, seeds[j],
                Options.ClipGradNorm, Options.Patience, j == 0 ? Observer : null);
        }
        return new MultimodalFusionModel(classes, specs, Options, scalers, seeds, members);
    }

    /// <summary>Seed of ensemble member <paramref name="j"/> (member 0 uses the unit's seed).</summary>
    internal static int MemberSeed(int seed, int j) => j == 0 ? seed : (int)(SplitMix64.Mix(unchecked((ulong)(uint)seed * SplitMix64.Golden + (ulong)j)) & 0x7FFFFFFF);

    internal static Tensor BalancedWeights(int[] y, int classCount)
    {
        var counts = new float[classCount];
        foreach (var c in y) counts[c]++;
        return Tensor.FromArray(counts.Select(c => c > 0 ? y.Length / (classCount * c) : 0f).ToArray(), classCount);
    }

    internal static ModalityInput[] Inputs(object[][] x, IReadOnlyList<int> rows, ModalitySpec[] specs, FeatureStandardizer[] scalers) =>
        specs.Select((s, m) => ModalityBatches.Build(x[m], rows, s, scalers[m])).ToArray();

    private static (double Loss, double Accuracy) Score(MultimodalFusion net, object[][] x, int[] y, int[] rows, ModalitySpec[] specs, FeatureStandardizer[] scalers, Tensor? classWeight)
    {
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < rows.Length; s += 256)
        {
            var chunk = rows.AsSpan(s, Math.Min(256, rows.Length - s)).ToArray();
            var logits = net.Forward(Inputs(x, chunk, specs, scalers)).Logits;
            loss += F.CrossEntropy(logits, chunk.Select(r => (long)y[r]).ToArray(), classWeight).Item() * chunk.Length;
            var pred = logits.ArgMax(-1);
            for (int i = 0; i < chunk.Length; i++) if (pred[i] == y[chunk[i]]) correct++;
        }
        return (loss / rows.Length, (double)correct / rows.Length);
    }
}
