using HarmoniousFeedback.Features.Text;
using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Trains a <see cref="JointAudioText"/> network (or an ensemble) on audio inputs (segment sequences or clip vectors) and
/// at most one text input — the variable-length vector of raw token ids the <c>text</c>/<c>text-masked</c> views give.
/// Inside <c>Fit</c>, on the training rows only: the <see cref="TextVocabulary"/> (min_freq, truncation), the audio
/// standardisers; then per ensemble member a song-grouped validation hold-out, AdamW on
/// CE_main (label-smoothed) + λ·(CE_arousal + CE_valence)/2, early stopping on the held-out main-task loss.
/// </summary>
public sealed class JointAudioTextTrainer : MultiInputTrainerBase
{
    public JointAudioTextTrainer(IReadOnlyList<string> featureColumns, string labelColumn, JointAudioTextOptions options, int seed, string? groupColumn = "Group")
        : base(featureColumns, labelColumn, groupColumn)
    {
        options.Validate();
        Options = options;
        Seed = seed;
    }

    public JointAudioTextOptions Options { get; }
    public int Seed { get; }
    public IProgress<EpochReport>? Observer { get; init; }

    protected override IReadOnlyList<ColumnType> AcceptedTypes(int index) => [ColumnType.Sequence(0), ColumnType.Vector()];

    protected override void CheckInputs(IReadOnlyList<SchemaColumn> inputs, List<string> problems)
    {
        var text = inputs.Where(c => c.Type is VectorType { Size: null }).ToArray();
        if (text.Length > 1) problems.Add($"at most one text input (a variable-length vector of token ids), got {string.Join(", ", text.Select(c => c.Name))}");
    }

    protected override IMultiInputModel Train(IReadOnlyList<SchemaColumn> columns, object[][] x, int[] y, string[] classes, string[] groups)
    {
        int textIndex = Enumerable.Range(0, columns.Count).FirstOrDefault(i => columns[i].Type is VectorType { Size: null }, -1);
        var audioIdx = Enumerable.Range(0, columns.Count).Where(i => i != textIndex).ToArray();
        var specs = audioIdx.Select(i => ModalityBatches.Describe(columns[i].Name, x[i])).ToArray();
        var all = Enumerable.Range(0, y.Length).ToArray();
        var scalers = audioIdx.Select((i, m) => FeatureStandardizer.Fit(x[i], all, specs[m].Features)).ToArray();
        TextVocabulary? vocab = null;
        if (textIndex >= 0)
            vocab = TextVocabulary.Fit(x[textIndex].Select(RawIds), new TextVocabularyOptions { MinFreq = Options.MinFreq, MaxLength = Options.MaxTokens });
        var layout = new Layout(audioIdx, textIndex, specs, scalers, vocab);
        (long[] A, long[] V) aux = Options.Auxiliary == AuxiliaryTask.ArousalValence
            ? (y.Select(c => (long)JointAudioText.AuxiliaryTargets(classes[c]).Arousal).ToArray(), y.Select(c => (long)JointAudioText.AuxiliaryTargets(classes[c]).Valence).ToArray())
            : ([], []);
        var members = new JointAudioText[Options.Ensemble];
        var seeds = new int[Options.Ensemble];
        for (int j = 0; j < members.Length; j++)
        {
            seeds[j] = MultimodalFusionTrainer.MemberSeed(Seed, j);
            var (trainIdx, valIdx) = LstmClassifierTrainer.ValidationSplit(groups, Options.ValidationFraction, seeds[j]);
            var net = members[j] = new JointAudioText(specs, vocab?.Count, classes.Length, Options, seeds[j]);
            var opt = new AdamW(net.Parameters(), Options.LearningRate, weightDecay: Options.WeightDecay);
            Tensor Loss(int[] rows)
            {
                var o = Forward(net, layout, x, rows);
                var loss = F.CrossEntropy(o.Logits, rows.Select(r => (long)y[r]).ToArray(), labelSmoothing: Options.LabelSmoothing);
                if (o.Arousal is null || Options.AuxiliaryWeight == 0) return loss;
                var auxLoss = F.CrossEntropy(o.Arousal, rows.Select(r => aux.A[r]).ToArray()) + F.CrossEntropy(o.Valence!, rows.Select(r => aux.V[r]).ToArray());
                return loss + auxLoss * (float)(Options.AuxiliaryWeight / 2);
            }
            EarlyStoppedFit.Run(net, opt, trainIdx, valIdx, Loss, rows => Score(net, layout, x, y, rows), Options.MaxEpochs, Options.BatchSize,
                seeds[j], Options.ClipGradNorm, Options.Patience, j == 0 ? Observer : null);
        }
        return new JointAudioTextModel(classes, columns.Count, layout, Options, seeds, members);
    }

    /// <summary>Where each input goes: audio columns (with their specs and standardisers) and the text column (with the fold's vocabulary).</summary>
    internal sealed record Layout(int[] AudioColumns, int TextColumn, ModalitySpec[] Specs, FeatureStandardizer[] Scalers, TextVocabulary? Vocabulary);

    internal static int[] RawIds(object v) => v is float[] a ? a.Select(t => (int)t).ToArray()
        : throw new ShapeMismatchException($"text input: expected a vector of token ids, got a {v.GetType().Name}");

    internal static JointAudioTextOutput Forward(JointAudioText net, Layout layout, object[][] x, IReadOnlyList<int> rows)
    {
        var audio = layout.AudioColumns.Select((c, m) => ModalityBatches.Build(x[c], rows, layout.Specs[m], layout.Scalers[m])).ToArray();
        return net.Forward(audio, layout.Vocabulary is null ? null : TextBatchOf(layout.Vocabulary, x[layout.TextColumn], rows));
    }

    /// <summary>Vocabulary ids of the rows' texts, right-padded; an empty text becomes one PAD (length 1).</summary>
    internal static TextBatch TextBatchOf(TextVocabulary vocab, IReadOnlyList<object> texts, IReadOnlyList<int> rows)
    {
        var encoded = rows.Select(r => vocab.Encode(RawIds(texts[r]))).ToArray();
        int l = Math.Max(1, encoded.Max(e => e.Length));
        var ids = new long[rows.Count * l];
        var lengths = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int t = 0; t < encoded[i].Length; t++) ids[i * l + t] = encoded[i][t];
            lengths[i] = Math.Max(1, encoded[i].Length);
        }
        return new TextBatch(ids, rows.Count, l, lengths);
    }

    private static (double Loss, double Accuracy) Score(JointAudioText net, Layout layout, object[][] x, int[] y, int[] rows)
    {
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < rows.Length; s += 256)
        {
            var chunk = rows.AsSpan(s, Math.Min(256, rows.Length - s)).ToArray();
            var logits = Forward(net, layout, x, chunk).Logits;
            loss += F.CrossEntropy(logits, chunk.Select(r => (long)y[r]).ToArray()).Item() * chunk.Length;
            var pred = logits.ArgMax(-1);
            for (int i = 0; i < chunk.Length; i++) if (pred[i] == y[chunk[i]]) correct++;
        }
        return (loss / rows.Length, (double)correct / rows.Length);
    }
}
