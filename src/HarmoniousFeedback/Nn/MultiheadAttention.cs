using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// <c>nn.MultiheadAttention</c> (batch_first, no bias_kv, dropout 0) with PyTorch's layout: <c>in_proj_weight</c>
/// [3E, E] stacks W_q, W_k, W_v; <c>in_proj_bias</c> [3E]; <c>out_proj.weight</c> [E, E], <c>out_proj.bias</c> [E].
/// Head h uses features h·d … (h+1)·d − 1 (d = E/heads); per head softmax(q_h·k_hᵀ/√d, masked)·v_h; heads
/// concatenated, then out_proj. Returned weights are averaged over heads.
/// </summary>
public sealed class MultiheadAttention : Module, IOnnxExportable
{
    public int EmbedDim { get; }
    public int NumHeads { get; }
    public Tensor InProjWeight { get; }
    public Tensor InProjBias { get; }
    public Linear OutProj { get; }

    public MultiheadAttention(int embedDim, int numHeads, SplitMix64? rng = null)
    {
        if (numHeads <= 0 || embedDim % numHeads != 0) throw new OptionsValidationException(nameof(MultiheadAttention), [$"num_heads = {numHeads} must be > 0 and divide embed_dim = {embedDim}"]);
        rng ??= NnRandom.Create();
        EmbedDim = embedDim; NumHeads = numHeads;
        InProjWeight = RegisterParameter("in_proj_weight", Tensor.Zeros(3 * embedDim, embedDim));
        Init.XavierUniform(InProjWeight, embedDim, 3 * embedDim, rng);
        InProjBias = RegisterParameter("in_proj_bias", Tensor.Zeros(3 * embedDim));
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, rng: rng));
        OutProj.Bias!.Data.Clear();
    }

    /// <summary>
    /// query [B, Tq, E], key/value [B, Tk, E]; keyPaddingMask [B, Tk] (nonzero = ignore key); attnMask [Tq, Tk]
    /// (nonzero = query i may not see key j). Returns (attn_output [B, Tq, E], weights averaged over heads [B, Tq, Tk]).
    /// </summary>
    public (Tensor Output, Tensor Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, Tensor? attnMask = null)
    {
        int e = EmbedDim, nh = NumHeads, d = e / nh;
        foreach (var (name, t) in new[] { ("query", query), ("key", key), ("value", value) })
            if (t.Rank != 3 || t.Shape[2] != e) throw new ShapeMismatchException($"MultiheadAttention(E={e}) expects {name} [B, T, {e}], got {Tensor.ShapeString(t.Shape)}");
        int b = query.Shape[0], tq = query.Shape[1], tk = key.Shape[1];
        Tensor Proj(Tensor x, int part, int len) =>
            (Tensor.BatchMatMul(x, InProjWeight.Narrow(0, part * e, e), false, true) + InProjBias.Narrow(0, part * e, e))
                .Reshape(b, len, nh, d).Permute(0, 2, 1, 3).Reshape(b * nh, len, d);
        var q = Proj(query, 0, tq); var k = Proj(key, 1, tk); var v = Proj(value, 2, tk);
        var s = (Tensor.BatchMatMul(q, k, false, true) * (1f / MathF.Sqrt(d))).Reshape(b, nh, tq, tk);
        if (keyPaddingMask is not null) s = s.MaskedFill(keyPaddingMask.Reshape(b, 1, 1, tk), float.NegativeInfinity);
        if (attnMask is not null) s = s.MaskedFill(attnMask, float.NegativeInfinity);
        var a = s.Softmax(-1);
        var o = Tensor.MatMul(a.Reshape(b * nh, tq, tk), v).Reshape(b, nh, tq, d).Permute(0, 2, 1, 3).Reshape(b, tq, e);
        return (OutProj.Forward(o), a.Mean(1));
    }

    /// <summary>
    /// ONNX: (query, key, value, key_padding_mask?, attn_mask?) → (output [B, Tq, E], weights [B, Tq, Tk]) in
    /// <c>MatMul</c>/<c>Reshape</c>/<c>Transpose</c>/<c>Softmax</c> nodes (no fused attention op exists in the default
    /// domain at opset 17). Masks are float with nonzero = masked, as in <see cref="Forward"/>. A query row whose keys are
    /// all masked gives NaN in ONNX where the engine gives zero weights.
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs) => OnnxAttention.MultiheadAttention(this, graph, inputs);
}
