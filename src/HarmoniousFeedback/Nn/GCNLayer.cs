using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Nn;

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

    public GCNLayer(int inFeatures, int outFeatures, int? learnedNodes = null, SplitMix64? rng = null)
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
        var a = adjacency ?? AdjacencyLogits?.Sigmoid() ?? throw new ShapeMismatchException("adjacency = null, but this GCNLayer has no learned adjacency: pass the [N, N] adjacency matrix");
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
