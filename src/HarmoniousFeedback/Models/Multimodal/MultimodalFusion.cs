using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// The multimodal emotion classifier: audio, score and performance (and clip-level statistics) of a piece, one encoder
/// per modality and fusion across them — the piano-emotion paper's point that emotion is in the signal, the score and
/// the performance together. Three fusions (<see cref="FusionMode"/>):
/// <code>
/// Attention:  x_m ─► Encoder_m ─► z_m [B, d]  (m = 1 … M) ─► ModalityAttentionFusion ─► f [B, d] ─► Dropout ─► Linear(d→C)
/// Concat:     x_m ─► Encoder_m ─► z_m ─► [z_1 … z_M] [B, M·d] ─► Linear(M·d→d) ─► GELU ─► Dropout ─► Linear(d→C)
/// Early:      [x_1 ‖ … ‖ x_M] (per segment; clip vectors repeated on every segment) ─► one Encoder ─► z [B, d] ─► Dropout ─► Linear(d→C)
/// </code>
/// Encoder_m is a <see cref="SequenceEncoder"/> (Linear → ReLU → LSTM → attention pooling) for a segment sequence
/// [B, T, F_m] and a <see cref="VectorEncoder"/> (Linear → LayerNorm → GELU) for a clip vector [B, F_m]. Segment
/// sequences of one clip are aligned (row k of every view = the same 3 s), which early fusion needs and checks.
/// Modality dropout (training only) removes whole modality tokens per example (attention: from the key set; concat:
/// zeroed), never all of them. Output: logits [B, C] and, for attention fusion, the fusion token's weights over the
/// modalities [B, M].
/// </summary>
public sealed class MultimodalFusion : Module
{
    private readonly Module[] _encoders;
    private readonly NnRng _modalityRng;

    public MultimodalFusion(IReadOnlyList<ModalitySpec> modalities, int numClasses, MultimodalFusionOptions options, int seed)
    {
        options.Validate();
        if (modalities.Count == 0) throw new ShapeMismatchException("MultimodalFusion needs at least one modality");
        Modalities = modalities;
        Options = options;
        NumClasses = numClasses;
        var rng = NnRandom.Create(seed);
        int d = options.Dim;
        if (options.Fusion == FusionMode.Early)
        {
            int total = modalities.Sum(m => m.Features);
            bool sequence = modalities.Any(m => m.IsSequence);
            _encoders = [sequence
                ? RegisterModule("encoder", new SequenceEncoder(total, d, options.Dropout, rng, seed + 1))
                : RegisterModule<Module>("encoder", new VectorEncoder(total, d, options.Dropout, rng, seed + 1))];
        }
        else
        {
            _encoders = new Module[modalities.Count];
            for (int m = 0; m < modalities.Count; m++)
                _encoders[m] = modalities[m].IsSequence
                    ? RegisterModule($"encoders.{m}", new SequenceEncoder(modalities[m].Features, d, options.Dropout, rng, seed + 11 * (m + 1)))
                    : RegisterModule<Module>($"encoders.{m}", new VectorEncoder(modalities[m].Features, d, options.Dropout, rng, seed + 11 * (m + 1)));
        }
        if (options.Fusion == FusionMode.Attention)
            Fusion = RegisterModule("fusion", new ModalityAttentionFusion(modalities.Count, d, options.Heads, options.FusionLayers, options.Dropout, rng, seed + 7));
        if (options.Fusion == FusionMode.Concat)
            Mix = RegisterModule("mix", new Linear(modalities.Count * d, d, rng: rng));
        Drop = RegisterModule("dropout", new Dropout(options.Dropout, seed + 3));
        Head = RegisterModule("head", new Linear(d, numClasses, rng: rng));
        _modalityRng = RegisterRng("modality_dropout", new NnRng(seed + 5));
    }

    public IReadOnlyList<ModalitySpec> Modalities { get; }
    public MultimodalFusionOptions Options { get; }
    public int NumClasses { get; }
    public IReadOnlyList<Module> Encoders => _encoders;
    public ModalityAttentionFusion? Fusion { get; }
    public Linear? Mix { get; }
    public Dropout Drop { get; }
    public Linear Head { get; }

    /// <summary>One input per modality, in <see cref="Modalities"/> order → (logits [B, C], modality weights [B, M] for attention fusion, else null).</summary>
    public (Tensor Logits, Tensor? ModalityWeights) Forward(IReadOnlyList<ModalityInput> inputs)
    {
        if (inputs.Count != Modalities.Count)
            throw new ShapeMismatchException($"MultimodalFusion reads {Modalities.Count} modalities ({string.Join(", ", Modalities.Select(m => m.Name))}), got {inputs.Count} inputs");
        int b = inputs[0].X.Shape[0];
        for (int m = 0; m < inputs.Count; m++)
            if (inputs[m].IsSequence != Modalities[m].IsSequence || inputs[m].X.Shape[0] != b || inputs[m].X.Shape[^1] != Modalities[m].Features)
                throw new ShapeMismatchException($"MultimodalFusion: input {m} ('{Modalities[m].Name}') is {Tensor.ShapeString(inputs[m].X.Shape)}, expected {(Modalities[m].IsSequence ? $"[{b}, T, {Modalities[m].Features}] with lengths" : $"[{b}, {Modalities[m].Features}]")}");

        if (Options.Fusion == FusionMode.Early)
        {
            var merged = Merge(inputs);
            var z = merged.IsSequence ? ((SequenceEncoder)_encoders[0]).Forward(merged.X, merged.Lengths!).Token : ((VectorEncoder)_encoders[0]).Forward(merged.X);
            return (Head.Forward(Drop.Forward(z)), null);
        }

        var tokens = new Tensor[inputs.Count];
        for (int m = 0; m < inputs.Count; m++)
            tokens[m] = _encoders[m] is SequenceEncoder s ? s.Forward(inputs[m].X, inputs[m].Lengths!).Token : ((VectorEncoder)_encoders[m]).Forward(inputs[m].X);
        var stacked = Tensor.Stack(tokens, 1);                                   // [B, M, d]
        var mask = Training && Options.ModalityDropout > 0 && inputs.Count > 1 ? ModalityMask(b) : null;
        if (Fusion is not null)
        {
            var (fused, weights) = Fusion.Forward(stacked, mask);
            return (Head.Forward(Drop.Forward(fused)), weights);
        }
        if (mask is not null)
        {
            var keep = new float[mask.Count];
            for (int i = 0; i < keep.Length; i++) keep[i] = 1 - mask.Data[i];
            stacked = stacked * new Tensor(keep, b, inputs.Count, 1);
        }
        var mixed = Mix!.Forward(stacked.Reshape(b, inputs.Count * Options.Dim)).Gelu();
        return (Head.Forward(Drop.Forward(mixed)), null);
    }

    /// <summary>Modality-dropout mask [B, M] (1 = removed): each token removed with probability p; a row that lost all keeps one at random.</summary>
    private Tensor ModalityMask(int b)
    {
        int mCount = Modalities.Count;
        var mask = new float[b * mCount];
        for (int i = 0; i < b; i++)
        {
            int kept = 0;
            for (int m = 0; m < mCount; m++)
            {
                bool drop = _modalityRng.NextDouble() < Options.ModalityDropout;
                mask[i * mCount + m] = drop ? 1 : 0;
                if (!drop) kept++;
            }
            if (kept == 0) mask[i * mCount + (int)(_modalityRng.NextDouble() * mCount)] = 0;
        }
        return new Tensor(mask, b, mCount);
    }

    /// <summary>Early fusion's input: sequences concatenated feature-wise step by step (their lengths must agree), vectors repeated on every step.</summary>
    private static ModalityInput Merge(IReadOnlyList<ModalityInput> inputs)
    {
        var seqs = inputs.Where(i => i.IsSequence).ToArray();
        if (seqs.Length == 0) return new ModalityInput(Tensor.Concat(inputs.Select(i => i.X).ToList(), 1), null);
        var lengths = seqs[0].Lengths!;
        int b = seqs[0].X.Shape[0], t = seqs[0].X.Shape[1];
        foreach (var s in seqs)
            if (s.X.Shape[1] != t || !s.Lengths!.AsSpan().SequenceEqual(lengths))
                throw new ShapeMismatchException($"early fusion needs aligned segment sequences (the same number of segments per clip), got lengths [{string.Join(", ", s.Lengths!)}] vs [{string.Join(", ", lengths)}]");
        var parts = inputs.Select(i => i.IsSequence ? i.X : Tensor.Zeros(b, t, i.X.Shape[1]) + i.X.Unsqueeze(1)).ToList();
        return new ModalityInput(Tensor.Concat(parts, 2), lengths);
    }
}
