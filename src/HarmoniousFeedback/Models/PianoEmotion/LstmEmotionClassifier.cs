using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.PianoEmotion;

/// <summary>
/// The piano-emotion method's classifier: a clip is a sequence of 50-dim LLD segment vectors; an LSTM (1–3 layers,
/// tanh cell, dropout between layers) reads it; the attention layer ("AM") pools the hidden states into one vector —
/// or, without attention, the last valid hidden state is used — and a linear layer gives the 4 emotion logits.
/// <code>
/// x [B, T, 50] ─► LSTM (L layers, H) ─► h [B, T, H] ─► AdditiveAttentionPooling ─► c [B, H] ─► Dropout ─► Linear(H→C) ─► logits [B, C]
///                                             └─(no AM)─► h_n of the top layer at t = length−1 ─┘
/// </code>
/// Parameter names follow PyTorch (<c>lstm.weight_ih_l0</c>, <c>attn.W</c>, <c>fc.weight</c>), as in the anchors'
/// <c>lstm_attention_classifier</c> case.
/// </summary>
public sealed class LstmEmotionClassifier : Module, IOnnxExportableModel
{
    public LstmEmotionClassifier(int inputSize, int hiddenSize, int numLayers, int numClasses, bool attention, int attentionDim, float dropout, int seed)
    {
        var rng = new Random(seed);
        Lstm = RegisterModule("lstm", new LSTM(inputSize, hiddenSize, numLayers, batchFirst: true, dropout: numLayers > 1 ? dropout : 0f, rng: rng));
        if (attention) Attention = RegisterModule("attn", new AdditiveAttentionPooling(hiddenSize, attentionDim, rng));
        Drop = RegisterModule("dropout", new Dropout(dropout, seed ^ 0x5bd1e995));
        Fc = RegisterModule("fc", new Linear(hiddenSize, numClasses, rng: rng));
    }

    public LSTM Lstm { get; }
    public AdditiveAttentionPooling? Attention { get; }
    public Dropout Drop { get; }
    public Linear Fc { get; }

    /// <summary>x [B, T, I] zero-padded, <paramref name="lengths"/> the valid steps of each row → (logits [B, C], attention weights [B, T] or null).</summary>
    public (Tensor Logits, Tensor? AttentionWeights) Forward(Tensor x, int[] lengths)
    {
        var (h, hN, _) = Lstm.Forward(x, lengths: lengths);          // h [B, T, H], hN [L, B, H]
        Tensor pooled;
        Tensor? weights = null;
        if (Attention is not null) (pooled, weights) = Attention.Forward(h, lengths); // [B, H], [B, T]
        else pooled = hN.Select(0, Lstm.NumLayers - 1);               // top layer's state after each row's last valid step
        return (Fc.Forward(Drop.Forward(pooled)), weights);
    }

    /// <summary>
    /// ONNX signature: <c>x</c> float [batch, time, I] (zero-padded) and <c>lengths</c> int32 [batch] (1 ≤ length ≤ time)
    /// → <c>logits</c> float [batch, C] and, with attention, <c>attention_weights</c> float [batch, time].
    /// </summary>
    public OnnxSignature OnnxSignature => new(
        [OnnxValueInfo.Float("x", "batch", "time", Lstm.InputSize), OnnxValueInfo.Int32("lengths", "batch")],
        Attention is null ? ["logits"] : ["logits", "attention_weights"]);

    /// <summary>
    /// ONNX: (x, lengths?) → (logits, attention weights when the model has attention): the LSTM's export with
    /// <c>lengths</c> as <c>sequence_lens</c>, then the attention pooling with the same lengths as its mask (or, without
    /// attention, <c>Gather</c> of the top layer's h_n), dropout as the identity, and the linear layer.
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 1, "LstmEmotionClassifier(x, lengths?)");
        var x = inputs[0];
        var lengths = OnnxGraphBuilder.Optional(inputs, 1) ?? "";
        var lstm = graph.Emit(Lstm, "lstm", x, "", "", lengths);              // output [B, T, H], h_n [L, B, H]
        string pooled;
        string? weights = null;
        if (Attention is not null)
        {
            var att = graph.Emit(Attention, "attn", lstm[0], lengths);         // [B, H], [B, T]
            (pooled, weights) = (att[0], att[1]);
        }
        else pooled = graph.Select(lstm[1], 0, Lstm.NumLayers - 1);           // top layer's last valid state
        var logits = graph.Emit(Fc, "fc", graph.Emit(Drop, "dropout", pooled)[0])[0];
        return weights is null ? [logits] : [logits, weights];
    }
}
