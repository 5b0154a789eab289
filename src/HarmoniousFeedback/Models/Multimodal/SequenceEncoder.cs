using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>
/// Encodes one segment-sequence modality (audio LLD, score or performance segments) into one token — the piano-emotion
/// method's LSTM + attention ("AM") block with an input projection:
/// <code>
/// x [B, T, F] ─► Linear(F→d) ─► ReLU ─► Dropout ─► LSTM(d→d) ─► h [B, T, d] ─► AdditiveAttentionPooling ─► z [B, d]
/// </code>
/// u_t = ReLU(W_in x_t + b_in); h_t = LSTM(u_t, h_{t−1}) (PyTorch's gate equations, <see cref="LSTM"/>); e_t = vᵀ tanh(W_a h_t + b_a),
/// α = softmax over valid t (padded steps t ≥ length get −∞), z = Σ_t α_t h_t. Padded steps never change z (variable
/// lengths as <c>pack_padded_sequence</c>). Parameter names: <c>proj.weight</c>, <c>lstm.weight_ih_l0</c>, <c>attn.W</c>, ….
/// </summary>
public sealed class SequenceEncoder : Module
{
    public SequenceEncoder(int inputSize, int dim, float dropout, SplitMix64 rng, int seed)
    {
        InputSize = inputSize;
        Dim = dim;
        Proj = RegisterModule("proj", new Linear(inputSize, dim, rng: rng));
        Drop = RegisterModule("dropout", new Dropout(dropout, seed));
        Lstm = RegisterModule("lstm", new LSTM(dim, dim, 1, batchFirst: true, rng: rng));
        Attention = RegisterModule("attn", new AdditiveAttentionPooling(dim, Math.Max(1, dim / 2), rng));
    }

    public int InputSize { get; }
    public int Dim { get; }
    public Linear Proj { get; }
    public Dropout Drop { get; }
    public LSTM Lstm { get; }
    public AdditiveAttentionPooling Attention { get; }

    /// <summary>x [B, T, F], lengths [B] → (z [B, d], attention weights over time [B, T]).</summary>
    public (Tensor Token, Tensor Weights) Forward(Tensor x, int[] lengths)
    {
        if (x.Rank != 3 || x.Shape[2] != InputSize)
            throw new ShapeMismatchException($"SequenceEncoder(F={InputSize}) expects x [B, T, {InputSize}], got {Tensor.ShapeString(x.Shape)}");
        var u = Drop.Forward(Proj.Forward(x).Relu());          // [B, T, d]
        var (h, _, _) = Lstm.Forward(u, lengths: lengths);     // [B, T, d]
        return Attention.Forward(h, lengths);                  // [B, d], [B, T]
    }
}
