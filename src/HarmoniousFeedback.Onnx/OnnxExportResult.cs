using System.Text;
using HarmoniousFeedback.IO;
using HarmoniousFeedback.Nn.Export;

namespace HarmoniousFeedback.Onnx;

/// <summary>
/// An exported ONNX model: the serialised bytes, the graph they encode, and notes on what the graph does not contain
/// (for a pipeline: the steps before the network, which a caller must run to produce the network's inputs).
/// </summary>
public sealed class OnnxExportResult
{
    internal OnnxExportResult(OnnxGraph graph, byte[] bytes, IReadOnlyList<string> notes)
    {
        Graph = graph; Bytes = bytes; Notes = notes;
    }

    /// <summary>The exported graph (inputs, outputs, opset, nodes, initializers).</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The ONNX <c>ModelProto</c> bytes (what an <c>.onnx</c> file holds).</summary>
    public byte[] Bytes { get; }

    /// <summary>What is outside the graph, one sentence each (empty for a plain network).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Writes <see cref="Bytes"/> to <paramref name="path"/> atomically (temp file, flush, rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, Bytes);

    /// <summary>A short human-readable summary: opset, IR version, inputs and outputs with shapes, size, notes.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append($"opset {Graph.Opset} (IR version {Graph.IrVersion}), {Graph.Nodes.Count} nodes, {Graph.ParameterCount:N0} parameters, {Bytes.Length:N0} bytes\n");
        foreach (var i in Graph.Inputs) sb.Append($"  input  {i}\n");
        foreach (var o in Graph.Outputs) sb.Append($"  output {o}\n");
        foreach (var n in Notes) sb.Append($"  note: {n}\n");
        return sb.ToString().TrimEnd('\n');
    }
}
