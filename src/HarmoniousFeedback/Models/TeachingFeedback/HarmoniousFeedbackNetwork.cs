using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Midi.Deviations;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// The Harmonious Feedback Network (HFN), optionally refined by Harmonious Feedback Integration (HFI): a student's
/// performance (and, with the reference stream, the score rendered and aligned to it) → per-dimension scores, the
/// dominant issue, per-frame issue scores for localisation, and emotional estimates.
/// <code>
///   X [B,1,M,T] student log-mel      R [B,1,M,T] aligned reference log-mel      G [B,K,T] alignment features
///   e  = EmotionFactorBranch(X, R)                          [B, 3]   (tone, sentiment, engagement)   — "no emotional factors": none
///   A  = EmotionAttention(X, e)                             [B,1,M,T]                               — "no emotional attention": A ≡ 1
///   S  = X ⊙ A,   S_R = R ⊙ A
///   E  = SpectrogramEncoder(S),  E_R = SpectrogramEncoder(S_R)   (one encoder, siamese)   [B, C, M', T'],  T' = ⌊T/2ⁿ⌋
///   P(E) = [mean_ω E ; max_ω E]                             [B, 2C, T']
///   h  = [P(E) ; P(E) − P(E_R) ; avgpool_{2ⁿ}(G)]           [B, 4C + K, T']                          — "no reference stream": h = P(E)
///   u  = ReLU(Conv1d_{k=3}(h))                              [B, H, T']     per-frame features
///   d  = σ(Conv1d_{k=1}(u))                                 [B, N, T']     per-frame issue scores (localisation)
///   σ(G) = [mean_τ G ; max_τ G ; min_τ G ; std_τ G]          [B, 4K]        clip statistics of the alignment features (valid frames; with the reference stream)
///   n̂  = NoteComparisonScaler(N)                            [B, Q]         the clip's note comparison with the score, standardised (with Q &gt; 0 note features)
///   z  = dropout([masked-mean_τ u ; masked-max_τ u ; σ(G) ; n̂])   [B, 2H + 4K + Q]   the shared representation (dropout in training only)
///   ℓ₀ = W_ℓ z + b_ℓ                                        [B, N+1]       technical head: dominant issue
///   s₀ = σ(W_s z + b_s)                                     [B, N]         technical head: per-dimension scores
///   ê  = W_e [z ; e] + b_e                                  [B, 6]         emotional head
///   (ℓ, s) = FeedbackIntegration(z, s₀, ℓ₀)  with HFI, else (ℓ₀, s₀)
/// </code>
/// N = 6 dimensions (<see cref="Dimensions"/>), N + 1 = 7 issue classes (<see cref="IssueClasses"/>), 6 emotional
/// targets (<see cref="EmotionTargets"/>). Masks follow the clip lengths, so zero padding changes no clip's pooled
/// values (it does enter the batch-norm statistics, as in PyTorch). docs/feedback.md derives every term.
/// <para>ONNX (<see cref="OnnxSignature"/>, docs/onnx.md "Teaching feedback"): inputs <c>student</c> [batch, 1, M, time],
/// <c>reference</c> [batch, 1, M, time] (with the reference stream), <c>alignment</c> [batch, K, time] (with the reference
/// stream and K &gt; 0), <c>notes</c> [batch, Q] (with Q &gt; 0 note features) and <c>lengths</c> int32 [batch], exactly the fields of <see cref="HfnBatch"/>; outputs
/// <see cref="OnnxOutputNames"/>. Every ablation exports; batch and time are dynamic (time ≥ <see cref="PoolFactor"/>).</para>
/// </summary>
public sealed class HarmoniousFeedbackNetwork : Module, IOnnxExportableModel
{
    /// <summary>The feedback dimensions, in the corpus's canonical order (<see cref="FeedbackDimensions.All"/>: pitch, rhythm, tempo, dynamics, articulation, completeness).</summary>
    public static IReadOnlyList<string> Dimensions { get; } = [.. FeedbackDimensions.All.Select(FeedbackDimensions.Name)];

    /// <summary>The dominant-issue classes: the dimensions, then "none" (<see cref="FeedbackDimensions.IssueClasses"/>).</summary>
    public static IReadOnlyList<string> IssueClasses { get; } = FeedbackDimensions.IssueClasses;

    /// <summary>The emotional targets of the emotional head, in the corpus's order (<see cref="Data.TeachingFeedback.EmotionTargets.Names"/>: intended valence, intended arousal, expressiveness, tone, sentiment, engagement); the last three are the factors.</summary>
    public static IReadOnlyList<string> EmotionTargets { get; } = Data.TeachingFeedback.EmotionTargets.Names;

    /// <summary>Index in <see cref="EmotionTargets"/> of the first emotional factor (tone; then sentiment, engagement).</summary>
    public const int FactorOffset = 3;

    /// <param name="options">Architecture and ablation switches (validated).</param>
    /// <param name="alignmentFeatures">K, the per-frame alignment features read with the reference stream (0 = none; ignored without the reference stream).</param>
    /// <param name="seed">Initialisation seed (SplitMix64).</param>
    /// <param name="noteFeatures">Q, the measures of the clip-level note comparison with the score read with the reference stream (view <c>score-notes</c>; 0 = none; ignored without the reference stream).</param>
    public HarmoniousFeedbackNetwork(HarmoniousFeedbackNetworkOptions options, int alignmentFeatures, int seed, int noteFeatures = 0)
    {
        options.Validate();
        if (alignmentFeatures is < 0 or > 256)
            throw new OptionsValidationException(nameof(HarmoniousFeedbackNetwork), [$"alignmentFeatures = {alignmentFeatures} must be in [0, 256]"]);
        if (noteFeatures is < 0 or > 1024)
            throw new OptionsValidationException(nameof(HarmoniousFeedbackNetwork), [$"noteFeatures = {noteFeatures} must be in [0, 1024]"]);
        Options = options;
        AlignmentFeatures = options.ReferenceStream ? alignmentFeatures : 0;
        NoteFeatures = options.ReferenceStream ? noteFeatures : 0;
        var rng = new NnRng(seed);
        int m = options.NMels, n = Dimensions.Count;
        if (options.EmotionFactors) FactorBranch = RegisterModule("factors", new EmotionFactorBranch(m, options.ReferenceStream, options.FactorHidden, rng));
        if (options.EmotionAttention) Attention = RegisterModule("attention", new EmotionAttention(m, EmotionFactorBranch.FactorCount, options.EmotionEmbeddingDim, rng));
        Encoder = RegisterModule("encoder", new SpectrogramEncoder(options.Channels, rng));
        int c = Encoder.OutChannels;
        int frameIn = options.ReferenceStream ? 4 * c + AlignmentFeatures : 2 * c;
        FrameConv = RegisterModule("frame_conv", new Conv1d(frameIn, options.FrameHidden, 3, stride: 1, padding: 1, rng: rng));
        DeficitConv = RegisterModule("deficit_conv", new Conv1d(options.FrameHidden, n, 1, rng: rng));
        if (NoteFeatures > 0) Notes = RegisterModule("notes", new NoteComparisonScaler(NoteFeatures));
        if (options.ModalityDropout > 0)
        {
            if (NoteFeatures == 0)
                throw new OptionsValidationException(nameof(HarmoniousFeedbackNetwork),
                    [$"ModalityDropout = {options.ModalityDropout.ToString(System.Globalization.CultureInfo.InvariantCulture)} drops the audio part of z so that the heads learn to decide from the note comparison, but the network reads no note features (give noteFeatures > 0 with the reference stream, or ModalityDropout = 0)"]);
            AudioDrop = RegisterModule("modality_dropout", new ModalityDropout((float)options.ModalityDropout, seed ^ 0x6A09E667));
        }
        int zDim = 2 * options.FrameHidden + 4 * AlignmentFeatures + NoteFeatures;
        Drop = RegisterModule("dropout", new Dropout((float)options.Dropout, seed ^ 0x2545F491));
        IssueHead = RegisterModule("issue_head", new Linear(zDim, n + 1, rng: rng));
        ScoreHead = RegisterModule("score_head", new Linear(zDim, n, rng: rng));
        EmotionHead = RegisterModule("emotion_head", new Linear(zDim + (options.EmotionFactors ? EmotionFactorBranch.FactorCount : 0), EmotionTargets.Count, rng: rng));
        if (options.Integration is { } hfi) Integration = RegisterModule("integration", new FeedbackIntegration(n, n + 1, zDim, hfi, rng));
    }

    public HarmoniousFeedbackNetworkOptions Options { get; }
    public int AlignmentFeatures { get; }
    /// <summary>Q, the note-comparison measures in z (0 = none).</summary>
    public int NoteFeatures { get; }
    /// <summary>The standardisation of the note comparison (null without note features).</summary>
    public NoteComparisonScaler? Notes { get; }
    /// <summary>Drops a training clip's audio part of z (<see cref="HarmoniousFeedbackNetworkOptions.ModalityDropout"/>; null when 0).</summary>
    public ModalityDropout? AudioDrop { get; }
    public EmotionFactorBranch? FactorBranch { get; }
    public EmotionAttention? Attention { get; }
    public SpectrogramEncoder Encoder { get; }
    public Conv1d FrameConv { get; }
    public Conv1d DeficitConv { get; }
    public Dropout Drop { get; }
    public Linear IssueHead { get; }
    public Linear ScoreHead { get; }
    public Linear EmotionHead { get; }
    public FeedbackIntegration? Integration { get; }

    /// <summary>Input frames per output frame (2ⁿ for n encoder blocks).</summary>
    public int PoolFactor => Options.PoolFactor;

    /// <summary>Runs the network on one batch (see the type's remarks for every step and shape).</summary>
    /// <exception cref="ShapeMismatchException">Inputs of the wrong shape, or clips shorter than <see cref="PoolFactor"/> frames.</exception>
    public HfnOutput Forward(HfnBatch batch) => Forward(batch, notesOnly: false);

    /// <summary>
    /// As <see cref="Forward(HfnBatch)"/>; with <paramref name="notesOnly"/> the technical heads and HFI read z with its
    /// audio part [2H + 4K] set to 0 — the decision from the note comparison alone, which modality dropout
    /// (<see cref="HarmoniousFeedbackNetworkOptions.ModalityDropout"/>) trains the heads for — and the emotional head all of
    /// z; <see cref="HfnOutput.Representation"/> is then the z the technical heads read.
    /// </summary>
    /// <exception cref="OptionsValidationException"><paramref name="notesOnly"/> for a network without note features.</exception>
    public HfnOutput Forward(HfnBatch batch, bool notesOnly)
    {
        if (notesOnly && Notes is null)
            throw new OptionsValidationException(nameof(HarmoniousFeedbackNetwork), ["notesOnly: this network reads no note comparison to decide from (give it note features with the reference stream)"]);
        var x = batch.Student;
        int b = batch.BatchSize, m = Options.NMels, t = batch.Frames;
        CheckShapes(batch);
        int tOut = t / PoolFactor;

        // valid-frame masks at the input and output frame rates
        var maskIn = new float[b * t];
        var countIn = new float[b];
        var maskOut = new float[b * tOut];
        var countOut = new float[b];
        var frameLengths = new int[b];
        for (int i = 0; i < b; i++)
        {
            int len = Math.Clamp(batch.Lengths[i], 1, t);
            maskIn.AsSpan(i * t, len).Fill(1f);
            countIn[i] = len;
            int lo = Math.Clamp(len / PoolFactor, 1, tOut);
            maskOut.AsSpan(i * tOut, lo).Fill(1f);
            countOut[i] = lo;
            frameLengths[i] = lo;
        }
        var mask = new Tensor(maskIn, b, 1, 1, t);
        var counts = new Tensor(countIn, b, 1, 1, 1);
        var outMask = new Tensor(maskOut, b, 1, tOut);
        var outCounts = new Tensor(countOut, b, 1);

        var r = Options.ReferenceStream ? batch.Reference : null;
        var factors = FactorBranch?.Forward(x, r, mask, counts);                  // [B, 3]
        var attention = Attention?.Forward(x, factors);                            // [B, 1, M, T]
        var s = attention is null ? x : x * attention;
        Tensor pooled;                                                             // [B, 2C(+2C+K), T']
        if (r is not null)
        {
            var sr = attention is null ? r : r * attention;
            var e = Encoder.Forward(Tensor.Concat([s, sr], 0));                    // [2B, C, M', T']
            var ps = PoolFrequency(e.Narrow(0, 0, b));
            var pr = PoolFrequency(e.Narrow(0, b, b));
            var parts = new List<Tensor> { ps, ps - pr };
            if (AlignmentFeatures > 0) parts.Add(PoolTime(batch.Alignment!, tOut));
            pooled = Tensor.Concat(parts, 1);
        }
        else pooled = PoolFrequency(Encoder.Forward(s));

        var u = FrameConv.Forward(pooled).Relu();                                  // [B, H, T']
        var deficits = DeficitConv.Forward(u).Sigmoid();                          // [B, N, T']
        var mean = (u * outMask).Sum(2) / outCounts;                              // [B, H]
        var max = u.MaskedFill(1f - outMask, -1e9f).Max(2);                       // [B, H]
        var zParts = new List<Tensor> { mean, max };
        if (AlignmentFeatures > 0 && r is not null) zParts.AddRange(AlignmentStatistics(batch.Alignment!, mask.Reshape(b, 1, t), counts.Reshape(b, 1)));   // + [B, 4K]
        if (AudioDrop is not null) zParts = [AudioDrop.Forward(Tensor.Concat(zParts, 1))];   // the audio part, dropped whole per clip in training
        if (Notes is not null) zParts.Add(Notes.Forward(batch.Notes!));          // + [B, Q]
        var z = Drop.Forward(Tensor.Concat(zParts, 1));                          // [B, 2H + 4K + Q]
        var emotion = EmotionHead.Forward(factors is null ? z : Tensor.Concat([z, factors], 1));
        if (notesOnly)
        {   // the technical decision from the note comparison alone: the audio part of z set to 0
            var keep = new float[z.Shape[1]];
            keep.AsSpan(z.Shape[1] - NoteFeatures).Fill(1f);
            z = z * new Tensor(keep, 1, keep.Length);
        }
        var logits0 = IssueHead.Forward(z);
        var scores0 = ScoreHead.Forward(z).Sigmoid();
        Tensor logits = logits0, scores = scores0;
        IReadOnlyList<Tensor> iterates = [1f - scores0];
        if (Integration is not null) (logits, scores, iterates) = Integration.Forward(z, scores0, logits0);
        return new HfnOutput(logits, scores, scores0, deficits, emotion, factors, attention, z, iterates, frameLengths);
    }

    /// <summary>
    /// The ONNX outputs, in order: <c>issue_logits</c> [batch, N+1], <c>issue_probabilities</c> [batch, N+1] (softmax of
    /// the logits, = <see cref="HfnPrediction.IssueProbabilities"/>), <c>scores</c> [batch, N] (after HFI when present),
    /// <c>initial_scores</c> [batch, N] (s₀), <c>emotion</c> [batch, 6], <c>frame_deficits</c> [batch, N, T'] (per-frame
    /// issue scores, T' = ⌊time / 2ⁿ⌋), <c>frame_lengths</c> int32 [batch] (valid output frames, = <see cref="HfnOutput.FrameLengths"/>),
    /// then <c>factors</c> [batch, 3] with emotional factors and <c>attention</c> [batch, 1, M, time] with emotional attention.
    /// </summary>
    public IReadOnlyList<string> OnnxOutputNames =>
    [
        "issue_logits", "issue_probabilities", "scores", "initial_scores", "emotion", "frame_deficits", "frame_lengths",
        .. FactorBranch is null ? Array.Empty<string>() : ["factors"],
        .. Attention is null ? Array.Empty<string>() : ["attention"],
    ];

    /// <summary>The graph inputs (see the type remarks) and outputs (<see cref="OnnxOutputNames"/>); metadata: the class, dimension and emotion names (JSON arrays), the pooling factor and the options.</summary>
    public OnnxSignature OnnxSignature
    {
        get
        {
            int m = Options.NMels;
            var inputs = new List<OnnxValueInfo> { OnnxValueInfo.Float("student", "batch", 1, m, "time") };
            if (Options.ReferenceStream) inputs.Add(OnnxValueInfo.Float("reference", "batch", 1, m, "time"));
            if (AlignmentFeatures > 0) inputs.Add(OnnxValueInfo.Float("alignment", "batch", AlignmentFeatures, "time"));
            if (NoteFeatures > 0) inputs.Add(OnnxValueInfo.Float("notes", "batch", NoteFeatures));
            inputs.Add(OnnxValueInfo.Int32("lengths", "batch"));
            var json = HarmoniousFeedback.IO.JsonDefaults.Options;
            return new OnnxSignature(inputs, OnnxOutputNames)
            {
                Metadata =
                [
                    new("task", "teaching-feedback"),
                    new("issue_classes", JsonSerializer.Serialize(IssueClasses.ToArray(), json)),
                    new("dimensions", JsonSerializer.Serialize(Dimensions.ToArray(), json)),
                    new("emotion_targets", JsonSerializer.Serialize(EmotionTargets.ToArray(), json)),
                    new("pool_factor", PoolFactor.ToString(CultureInfo.InvariantCulture)),
                    new("note_features", NoteFeatures.ToString(CultureInfo.InvariantCulture)),
                    new("hfn.options", Options.ToString()),
                ],
            };
        }
    }

    /// <summary>
    /// ONNX: (student, reference?, alignment?, notes?, lengths) as in <see cref="OnnxSignature"/> → <see cref="OnnxOutputNames"/>,
    /// the inference computation of <see cref="Forward(HfnBatch)"/> step by step (same formulas and summation order; dropout the
    /// identity, batch norm with running statistics). The reference is encoded by a second run of the same encoder nodes'
    /// weights (the engine concatenates the two along the batch, which batch norm in eval mode makes equivalent).
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        bool reference = Options.ReferenceStream, alignment = AlignmentFeatures > 0, withNotes = NoteFeatures > 0;
        int count = 2 + (reference ? 1 : 0) + (alignment ? 1 : 0) + (withNotes ? 1 : 0);
        graph.CheckInputs(inputs, count, 0, "HarmoniousFeedbackNetwork(student" + (reference ? ", reference" : "") + (alignment ? ", alignment" : "") + (withNotes ? ", notes" : "") + ", lengths)");
        int m = Options.NMels, p = PoolFactor;
        var x = inputs[0];
        string? r = reference ? inputs[1] : null;
        string? g = alignment ? inputs[2] : null;
        string? notes = withNotes ? inputs[count - 2] : null;
        var lengths = inputs[count - 1];
        graph.CheckRank(x, 4, "HarmoniousFeedbackNetwork student");
        graph.CheckDim(x, 1, 1, "HarmoniousFeedbackNetwork student");
        graph.CheckDim(x, 2, m, $"HarmoniousFeedbackNetwork(NMels={m}) student");
        if (r is not null)
        {
            graph.CheckRank(r, 4, "HarmoniousFeedbackNetwork reference");
            graph.CheckDim(r, 2, m, $"HarmoniousFeedbackNetwork(NMels={m}) reference");
        }
        if (g is not null)
        {
            graph.CheckRank(g, 3, "HarmoniousFeedbackNetwork alignment");
            graph.CheckDim(g, 1, AlignmentFeatures, $"HarmoniousFeedbackNetwork(K={AlignmentFeatures}) alignment");
        }
        var xs = graph.ShapeOf(x);
        OnnxDim batch = xs?[0] ?? OnnxDim.Unknown, time = xs?[3] ?? OnnxDim.Unknown;

        // valid-frame masks at the input rate (len clamped to [1, T]) and the output rate (⌊len / P⌋ clamped to [1, T'])
        var lenIn = graph.ClampedLengths(lengths, 1, x, 3);
        var validIn = graph.ValidMask(lenIn, x, 3);                                                  // bool [B, T]
        var maskIn = graph.Cast(validIn, OnnxElementType.Float);
        var countsIn = graph.Cast(lenIn, OnnxElementType.Float);                                     // [B]

        string? factors = null;
        if (FactorBranch is not null)
        {
            var mask4 = graph.Reshape(maskIn, 0, 1, 1, -1);                                          // [B, 1, 1, T]
            graph.SetShape(mask4, [batch, 1, 1, time]);
            var counts4 = graph.Reshape(countsIn, -1, 1, 1, 1);                                      // [B, 1, 1, 1]
            graph.SetShape(counts4, [batch, 1, 1, 1]);
            factors = graph.Emit(FactorBranch, "factors", r is null ? [x, mask4, counts4] : [x, r, mask4, counts4])[0];
            graph.SetShape(factors, [batch, EmotionFactorBranch.FactorCount]);
        }
        string? attention = null;
        if (Attention is not null)
        {
            attention = graph.Emit(Attention, "attention", factors is null ? [x] : [x, factors])[0];
            graph.SetShape(attention, [batch, 1, m, time]);
        }
        var s = attention is null ? x : graph.Binary("Mul", x, attention);
        var e = graph.Emit(Encoder, "encoder", s)[0];                                                // [B, C, M', T']
        var ps = OnnxPoolFrequency(graph, e);                                                        // [B, 2C, T']
        string pooled;
        if (r is not null)
        {
            var sr = attention is null ? r : graph.Binary("Mul", r, attention);
            var pr = OnnxPoolFrequency(graph, graph.Emit(Encoder, "encoder", sr)[0]);
            var parts = new List<string> { ps, graph.Binary("Sub", ps, pr) };
            if (g is not null) parts.Add(graph.AveragePool1d(g, p));                                  // [B, K, T']
            pooled = graph.Concat(parts, 1);
        }
        else pooled = ps;

        var u = graph.Unary("Relu", graph.Emit(FrameConv, "frame_conv", pooled)[0]);                 // [B, H, T']
        var deficits = graph.Unary("Sigmoid", graph.Emit(DeficitConv, "deficit_conv", u)[0]);       // [B, N, T']
        var lenOut = graph.ClampedLengths(lengths, p, u, 2);
        var validOut = graph.Unsqueeze(graph.ValidMask(lenOut, u, 2), 1);                            // bool [B, 1, T']
        var maskOut = graph.Cast(validOut, OnnxElementType.Float);
        var countsOut = graph.Unsqueeze(graph.Cast(lenOut, OnnxElementType.Float), 1);               // [B, 1]
        var mean = graph.Binary("Div", graph.ReduceSum(graph.Binary("Mul", u, maskOut), [2], keepDims: false), countsOut);
        var max = graph.ReduceMax(graph.Where(validOut, u, graph.FloatConstant(-1e9f)), [2], keepDims: false);
        var zParts = new List<string> { mean, max };
        if (g is not null) zParts.AddRange(OnnxAlignmentStatistics(graph, g, graph.Unsqueeze(validIn, 1), graph.Unsqueeze(maskIn, 1), graph.Unsqueeze(countsIn, 1)));
        if (notes is not null)
        {
            var scaled = graph.Emit(Notes!, "notes", notes)[0];                                     // [B, Q]
            graph.SetShape(scaled, [batch, NoteFeatures]);
            zParts.Add(scaled);
        }
        var z = graph.Concat(zParts, 1);                                                             // [B, 2H (+4K) (+Q)]
        graph.SetShape(z, [batch, 2 * Options.FrameHidden + 4 * AlignmentFeatures + NoteFeatures]);
        var logits0 = graph.Emit(IssueHead, "issue_head", z)[0];
        var scores0 = graph.Unary("Sigmoid", graph.Emit(ScoreHead, "score_head", z)[0]);
        var emotion = graph.Emit(EmotionHead, "emotion_head", factors is null ? z : graph.Concat([z, factors], 1))[0];
        string logits = logits0, scores = scores0;
        if (Integration is not null)
        {
            var refined = graph.Emit(Integration, "integration", z, scores0, logits0);
            (logits, scores) = (refined[0], refined[1]);
        }
        var probabilities = graph.Softmax(logits, -1);
        var frameLengths = graph.Cast(lenOut, OnnxElementType.Int32);
        var outputs = new List<string> { logits, probabilities, scores, scores0, emotion, deficits, frameLengths };
        if (factors is not null) outputs.Add(factors);
        if (attention is not null) outputs.Add(attention);
        return outputs;
    }

    private static string OnnxPoolFrequency(OnnxGraphBuilder graph, string e)
        => graph.Concat([graph.ReduceMean(e, [2], keepDims: false), graph.ReduceMax(e, [2], keepDims: false)], 1);

    /// <summary>ONNX σ(G): masked mean, max, min, std over the valid frames of G [B, K, T]; valid bool / mask float [B, 1, T], counts [B, 1].</summary>
    private static string[] OnnxAlignmentStatistics(OnnxGraphBuilder graph, string g, string valid, string mask, string counts)
    {
        var mean = graph.Binary("Div", graph.ReduceSum(graph.Binary("Mul", g, mask), [2], keepDims: false), counts);   // [B, K]
        var max = graph.ReduceMax(graph.Where(valid, g, graph.FloatConstant(-1e9f)), [2], keepDims: false);
        var min = graph.ReduceMin(graph.Where(valid, g, graph.FloatConstant(1e9f)), [2], keepDims: false);          // = −max(masked −G), exactly
        var centred = graph.Binary("Mul", graph.Binary("Sub", g, graph.Unsqueeze(mean, 2)), mask);
        var variance = graph.Binary("Div", graph.ReduceSum(graph.Binary("Mul", centred, centred), [2], keepDims: false), counts);
        var std = graph.Unary("Sqrt", graph.Binary("Add", variance, graph.FloatConstant(1e-5f)));
        return [mean, max, min, std];
    }

    private void CheckShapes(HfnBatch batch)
    {
        var x = batch.Student;
        int m = Options.NMels;
        if (x.Rank != 4 || x.Shape[1] != 1 || x.Shape[2] != m)
            throw new ShapeMismatchException($"HFN: the student spectrogram must be [B, 1, {m}, T], got {Tensor.ShapeString(x.Shape)} (NMels = {m})");
        int b = x.Shape[0], t = x.Shape[3];
        if (t < PoolFactor)
            throw new ShapeMismatchException($"HFN: {t} frames is shorter than the encoder's pooling factor {PoolFactor} ({Options.Channels.Count} blocks); give at least {PoolFactor} frames");
        if (batch.Lengths.Length != b) throw new ShapeMismatchException($"HFN: {batch.Lengths.Length} lengths for a batch of {b}");
        if (Options.ReferenceStream)
        {
            if (batch.Reference is not { } r || !r.Shape.SequenceEqual(x.Shape))
                throw new ShapeMismatchException($"HFN with the reference stream needs a reference spectrogram of the student's shape {Tensor.ShapeString(x.Shape)}, got {(batch.Reference is null ? "none" : Tensor.ShapeString(batch.Reference.Shape))}");
            if (AlignmentFeatures > 0 && (batch.Alignment is not { } g || g.Rank != 3 || g.Shape[0] != b || g.Shape[1] != AlignmentFeatures || g.Shape[2] != t))
                throw new ShapeMismatchException($"HFN: alignment features must be [{b}, {AlignmentFeatures}, {t}], got {(batch.Alignment is null ? "none" : Tensor.ShapeString(batch.Alignment.Shape))}");
            if (NoteFeatures > 0 && (batch.Notes is not { } n || n.Rank != 2 || n.Shape[0] != b || n.Shape[1] != NoteFeatures))
                throw new ShapeMismatchException($"HFN: the note comparison must be [{b}, {NoteFeatures}] (view score-notes), got {(batch.Notes is null ? "none" : Tensor.ShapeString(batch.Notes.Shape))}");
        }
    }

    /// <summary>σ(G): masked mean, max, min and std over the valid frames of G [B, K, T] → four [B, K].</summary>
    private static Tensor[] AlignmentStatistics(Tensor g, Tensor mask, Tensor counts)
    {
        var invalid = 1f - mask;                                                  // [B, 1, T]
        var mean = (g * mask).Sum(2) / counts;                                    // [B, K]
        var max = g.MaskedFill(invalid, -1e9f).Max(2);
        var min = -((-g).MaskedFill(invalid, -1e9f).Max(2));
        var centred = (g - mean.Unsqueeze(2)) * mask;
        var std = ((centred * centred).Sum(2) / counts + 1e-5f).Sqrt();
        return [mean, max, min, std];
    }

    /// <summary>[B, C, M', T'] → [mean over M'; max over M'] [B, 2C, T'].</summary>
    private static Tensor PoolFrequency(Tensor e) => Tensor.Concat([e.Mean(2), e.Max(2)], 1);

    /// <summary>[B, K, T] → mean over each run of 2ⁿ frames [B, K, T'].</summary>
    private Tensor PoolTime(Tensor g, int tOut)
    {
        int b = g.Shape[0], k = g.Shape[1];
        return g.Narrow(2, 0, tOut * PoolFactor).Reshape(b, k, tOut, PoolFactor).Mean(3);
    }
}
