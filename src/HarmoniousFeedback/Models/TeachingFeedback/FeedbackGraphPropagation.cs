using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// HFI's graph propagation over the N = 6 feedback dimensions (pitch, rhythm, tempo, dynamics, articulation,
/// completeness): one graph-convolution layer with a learned adjacency, so related dimensions (rhythm ↔ tempo,
/// dynamics ↔ articulation, …) inform each other's estimates.
/// <code>
///   A     = σ(Λ)                       learned adjacency, Λ ∈ ℝ^{N×N} initialised to 0 (A = ½ everywhere)
///   Â     = D^−½ (A + I) D^−½,  D = diag(Σⱼ (A + I)ᵢⱼ)
///   H'    = ReLU(Â · N · W + b)        N [B, N, D_in] node states → H' [B, N, D_out]
/// </code>
/// (<see cref="GCNLayer"/> with a learned adjacency, plus a bias.) <see cref="Adjacency"/> is the learned relation
/// matrix A (read it to see which dimensions the model relates). Keys: <c>gcn.W</c> [D_in, D_out],
/// <c>gcn.adjacency_logits</c> [N, N], <c>bias</c> [D_out].
/// ONNX: <see cref="GCNLayer"/>'s export (Â a constant <c>gcn.adjacency_norm</c>), <c>Add</c>, <c>Relu</c>.
/// </summary>
public sealed class FeedbackGraphPropagation : Module, IOnnxExportable
{
    public FeedbackGraphPropagation(int nodes, int inFeatures, int outFeatures, SplitMix64 rng)
    {
        Nodes = nodes;
        Gcn = RegisterModule("gcn", new GCNLayer(inFeatures, outFeatures, learnedNodes: nodes, rng: rng));
        Bias = RegisterParameter("bias", Tensor.Zeros(outFeatures));
    }

    public int Nodes { get; }
    public GCNLayer Gcn { get; }
    public Tensor Bias { get; }

    /// <summary>The learned relation matrix A = σ(Λ) [N, N] (a copy without gradient).</summary>
    public Tensor Adjacency
    {
        get
        {
            using var _ = Tensor.NoGrad();
            return Gcn.AdjacencyLogits!.Sigmoid().Detach();
        }
    }

    /// <summary>ONNX: (N [B, N, D_in]) → H' [B, N, D_out].</summary>
    public IReadOnlyList<string> ExportOnnx(OnnxGraphBuilder graph, IReadOnlyList<string> inputs)
    {
        graph.CheckInputs(inputs, 1, 0, "FeedbackGraphPropagation(nodes)");
        graph.CheckRank(inputs[0], 3, "FeedbackGraphPropagation");
        graph.CheckDim(inputs[0], 1, Nodes, $"FeedbackGraphPropagation(N={Nodes})");
        var y = graph.Emit(Gcn, "gcn", inputs[0])[0];
        return [graph.Unary("Relu", graph.Binary("Add", y, graph.Initializer("bias", Bias)))];
    }

    /// <summary>N [B, N, D_in] → H' [B, N, D_out].</summary>
    public Tensor Forward(Tensor nodes)
    {
        if (nodes.Rank != 3 || nodes.Shape[1] != Nodes)
            throw new ShapeMismatchException($"FeedbackGraphPropagation: node states must be [B, {Nodes}, D], got {Tensor.ShapeString(nodes.Shape)}");
        return (Gcn.Forward(nodes) + Bias).Relu();
    }
}
