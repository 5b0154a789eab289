using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

public static partial class F
{
    /// <summary>Bool-like mask [B, T] (1 = padded) from lengths: mask[b, t] = t ≥ lengths[b].</summary>
    public static Tensor LengthsToPaddingMask(ReadOnlySpan<int> lengths, int maxLen)
    {
        var m = new float[lengths.Length * maxLen];
        for (int b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] < 1 || lengths[b] > maxLen) throw new ArgumentOutOfRangeException(nameof(lengths), $"length {lengths[b]} outside [1, {maxLen}]");
            for (int t = lengths[b]; t < maxLen; t++) m[b * maxLen + t] = 1;
        }
        return new Tensor(m, lengths.Length, maxLen);
    }

    /// <summary>
    /// Scaled dot-product attention: S = Q·Kᵀ/√d_k; S[b, i, j] = −∞ where keyPaddingMask[b, j] (nonzero = padded key)
    /// or attnMask[i, j] (nonzero = not allowed); attn = softmax over keys; out = attn·V.
    /// q [B, Tq, d], k [B, Tk, d], v [B, Tk, dv] → (out [B, Tq, dv], attn [B, Tq, Tk]). A query row whose keys are
    /// all masked gets zero weights (PyTorch would give NaN).
    /// </summary>
    public static (Tensor Output, Tensor Weights) ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor? keyPaddingMask = null, Tensor? attnMask = null)
    {
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3 || q.Shape[2] != k.Shape[2] || k.Shape[1] != v.Shape[1] || q.Shape[0] != k.Shape[0] || k.Shape[0] != v.Shape[0])
            throw new ShapeMismatchException($"attention expects q [B, Tq, d], k [B, Tk, d], v [B, Tk, dv]; got {Tensor.ShapeString(q.Shape)}, {Tensor.ShapeString(k.Shape)}, {Tensor.ShapeString(v.Shape)}");
        var s = Tensor.BatchMatMul(q, k, false, true) * (1f / MathF.Sqrt(q.Shape[2]));
        if (keyPaddingMask is not null) s = s.MaskedFill(keyPaddingMask.Reshape(k.Shape[0], 1, k.Shape[1]), float.NegativeInfinity);
        if (attnMask is not null) s = s.MaskedFill(attnMask, float.NegativeInfinity);
        var a = s.Softmax(-1);
        return (Tensor.MatMul(a, v), a);
    }
}

/// <summary>
/// Additive (Bahdanau) attention pooling over a sequence h [B, T, D]:
/// e[b,t] = vᵀ·tanh(W·h[b,t] + b), a[b,:] = softmax over t (e = −∞ for t ≥ lengths[b]), c[b] = Σ_t a[b,t]·h[b,t].
/// Parameters: <c>W</c> [A, D], <c>b</c> [A], <c>v</c> [A]; init U(−1/√D, 1/√D) for W and b, U(−1/√A, 1/√A) for v.
/// </summary>
public sealed class AdditiveAttentionPooling : Module, IOnnxExportable
{
    public int Dim { get; }
    public int AttnDim { get; }
    public Tensor W { get; }
    public Tensor B { get; }
    public Tensor V { get; }

    public AdditiveAttentionPooling(int dim, int attnDim, Random? rng = null)
    {
        rng ??= NnRandom.Create();
        Dim = dim; AttnDim = attnDim;
        W = RegisterParameter("W", Tensor.Zeros(attnDim, dim)); Init.Uniform(W, 1f / MathF.Sqrt(dim), rng);
        B = RegisterParameter("b", Tensor.Zeros(attnDim)); Init.Uniform(B, 1f / MathF.Sqrt(dim), rng);
        V = RegisterParameter("v", Tensor.Zeros(attnDim)); Init.Uniform(V, 1f / MathF.Sqrt(attnDim), rng);
    }

    /// <summary>h [B, T, D] → (context [B, D], weights [B, T]).</summary>
    public (Tensor Context, Tensor Weights) Forward(Tensor h, int[]? lengths = null)
    {
        if (h.Rank != 3 || h.Shape[2] != Dim) throw new ShapeMismatchException($"AdditiveAttentionPooling(dim {Dim}) expects h [B, T, {Dim}], got {Tensor.ShapeString(h.Shape)}");
        int bsz = h.Shape[0], t = h.Shape[1];
        var u = (Tensor.BatchMatMul(h, W, false, true) + B).Tanh();           // [B, T, A]
        var e = Tensor.MatMul(u, V.Reshape(AttnDim, 1)).Reshape(bsz, t);      // [B, T]
        if (lengths is not null)
        {
            if (lengths.Length != bsz) throw new ShapeMismatchException($"{lengths.Length} lengths for a batch of {bsz}");
            e = e.MaskedFill(F.LengthsToPaddingMask(lengths, t), float.NegativeInfinity);
        }
        var a = e.Softmax(-1);
        var c = Tensor.MatMul(a.Reshape(bsz, 1, t), h).Reshape(bsz, Dim);  // [B, D]
        return (c, a);
    }

    /// <summary>
    /// ONNX: (h [B, T, D], lengths? int32 [B]) → (context [B, D], weights [B, T]):
    /// <c>Tanh(MatMul(h, W_t) + b)</c>, <c>MatMul</c> with <c>v</c>, <c>Where(t ≥ length, −∞, e)</c>, <c>Softmax(axis 1)</c>, then
    /// <c>MatMul</c> of the weights with h. Initializers <c>W_t</c> [D, A] (Wᵀ), <c>b</c>, <c>v</c>.
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 1, "AdditiveAttentionPooling(h, lengths?)");
        var h = inputs[0];
        var lengths = OnnxGraphBuilder.Optional(inputs, 1);
        graph.CheckRank(h, 3, "AdditiveAttentionPooling");
        graph.CheckDim(h, 2, Dim, $"AdditiveAttentionPooling(dim {Dim})");
        var hs = graph.ShapeOf(h);
        OnnxDim[]? bt = hs is null ? null : [hs[0], hs[1]];
        var u = graph.Unary("Tanh", graph.LinearOp(h, W, B, "W", "b"));                // [B, T, A]
        var e = graph.Op("MatMul", [u, graph.Initializer("v", V)]);                      // [B, T]
        graph.SetShape(e, bt);
        if (lengths is not null) e = graph.MaskedFillNegativeInfinity(e, graph.PaddingMask(lengths, h, 1));
        var a = graph.Softmax(e, 1);
        var c = graph.Squeeze(graph.Op("MatMul", [graph.Unsqueeze(a, 1), h]), 1);       // [B, 1, T]·[B, T, D] → [B, D]
        graph.SetShape(c, hs is null ? null : [hs[0], Dim]);
        return [c, a];
    }
}

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

    public MultiheadAttention(int embedDim, int numHeads, Random? rng = null)
    {
        if (numHeads <= 0 || embedDim % numHeads != 0) throw new ArgumentOutOfRangeException(nameof(numHeads), $"embed_dim {embedDim} must be divisible by num_heads {numHeads}");
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

/// <summary>
/// Graph convolution (Kipf &amp; Welling): Y = Â_norm·X·W with Â = A + I, d_i = Σ_j Â[i,j],
/// Â_norm[i,j] = Â[i,j]/√(d_i d_j). <c>W</c> is [in, out] (not the Linear layout) and there is no bias. The
/// adjacency A [N, N] is given per call or, when constructed with <c>learnedNodes</c>, learned as
/// A = σ(<c>adjacency_logits</c>) (non-negative, gradients flow through the normalisation).
/// </summary>
public sealed class GCNLayer : Module, IOnnxExportable
{
    public Tensor W { get; }
    public Tensor? AdjacencyLogits { get; }

    public GCNLayer(int inFeatures, int outFeatures, int? learnedNodes = null, Random? rng = null)
    {
        rng ??= NnRandom.Create();
        W = RegisterParameter("W", Tensor.Zeros(inFeatures, outFeatures));
        Init.XavierUniform(W, inFeatures, outFeatures, rng);
        if (learnedNodes is { } n) AdjacencyLogits = RegisterParameter("adjacency_logits", Tensor.Zeros(n, n));
    }

    /// <summary>A_norm = D^−½(A + I)D^−½ for A [N, N] (differentiable in A).</summary>
    public static Tensor NormalizedAdjacency(Tensor a)
    {
        if (a.Rank != 2 || a.Shape[0] != a.Shape[1]) throw new ShapeMismatchException($"adjacency must be square [N, N], got {Tensor.ShapeString(a.Shape)}");
        int n = a.Shape[0];
        var eye = Tensor.Zeros(n, n);
        for (int i = 0; i < n; i++) eye[i, i] = 1f;
        var ahat = a + eye;
        var dinv = ahat.Sum(1).Pow(-0.5f);
        return ahat * dinv.Reshape(n, 1) * dinv.Reshape(1, n);
    }

    /// <summary>X [N, in] or [B, N, in] → Y [.., N, out]. <paramref name="adjacency"/> may be null only for a learned adjacency.</summary>
    public Tensor Forward(Tensor x, Tensor? adjacency = null)
    {
        var a = adjacency ?? AdjacencyLogits?.Sigmoid() ?? throw new ArgumentNullException(nameof(adjacency), "GCNLayer without a learned adjacency needs an adjacency matrix");
        var an = NormalizedAdjacency(a);
        if (x.Shape[^2] != an.Shape[0]) throw new ShapeMismatchException($"GCN: X has {x.Shape[^2]} nodes (shape {Tensor.ShapeString(x.Shape)}) but adjacency is {Tensor.ShapeString(an.Shape)}");
        var xw = Tensor.MatMul(x, W);
        if (x.Rank == 2) return Tensor.MatMul(an, xw);
        // batched: (A_norm · XW_b) = ((XW_b)ᵀ · A_normᵀ)ᵀ — use the shared-matrix path on the transposed layout
        var t = Tensor.BatchMatMul(xw.Transpose(-1, -2), an, false, true);
        return t.Transpose(-1, -2);
    }

    /// <summary>
    /// ONNX: (x [N, in] or [B, N, in], adjacency? [N, N]) → (y): <c>MatMul(A_norm, MatMul(x, W))</c>. A given adjacency
    /// is normalised in the graph (<c>EyeLike</c>, <c>ReduceSum</c>, <c>Pow(−½)</c>, <c>Mul</c>); a learned one is constant
    /// at inference, so D^−½(σ(logits) + I)D^−½ is computed once at export and stored as <c>adjacency_norm</c> [N, N].
    /// </summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 1, "GCNLayer(x, adjacency?)");
        var x = inputs[0];
        var adjacency = OnnxGraphBuilder.Optional(inputs, 1);
        graph.CheckDim(x, -1, W.Shape[0], $"GCNLayer({W.Shape[0]}→{W.Shape[1]})");
        string an;
        if (adjacency is not null)
        {
            var ahat = graph.Binary("Add", adjacency, graph.Op("EyeLike", [adjacency]));
            var dinv = graph.Binary("Pow", graph.ReduceSum(ahat, [1], keepDims: false), graph.FloatConstant(-0.5f));
            an = graph.Binary("Mul", graph.Binary("Mul", ahat, graph.Unsqueeze(dinv, 1)), graph.Unsqueeze(dinv, 0));
        }
        else if (AdjacencyLogits is not null)
        {
            Tensor norm;
            using (Tensor.NoGrad()) norm = NormalizedAdjacency(AdjacencyLogits.Sigmoid());
            an = graph.Initializer("adjacency_norm", norm.Data, norm.Shape[0], norm.Shape[1]);
        }
        else throw new OnnxExportException($"GCNLayer at '{graph.Scope}' has no learned adjacency, so its ONNX export needs the adjacency [N, N] as its second input");
        var xw = graph.Op("MatMul", [x, graph.Initializer("W", W)]);
        var y = graph.Op("MatMul", [an, xw]);
        graph.SetShape(y, graph.ShapeOf(x) is { } s ? [.. s.Take(s.Count - 1), W.Shape[1]] : null);
        return [y];
    }
}
