namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// A named, typed value of an ONNX graph (ONNX <c>ValueInfoProto</c>): graph inputs and outputs, and the input
/// specifications of <see cref="OnnxExportOptions.Inputs"/>. <see cref="Shape"/> null means the rank is unknown.
/// </summary>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDim>? Shape)
{
    /// <summary>A float32 value with the given shape, e.g. <c>OnnxValueInfo.Float("x", "batch", "time", 50)</c>.</summary>
    public static OnnxValueInfo Float(string name, params OnnxDim[] shape) => new(name, OnnxElementType.Float, shape);

    /// <summary>An int32 value with the given shape, e.g. <c>OnnxValueInfo.Int32("lengths", "batch")</c>.</summary>
    public static OnnxValueInfo Int32(string name, params OnnxDim[] shape) => new(name, OnnxElementType.Int32, shape);

    /// <summary>An int64 value with the given shape (indices, e.g. for <see cref="Embedding"/>).</summary>
    public static OnnxValueInfo Int64(string name, params OnnxDim[] shape) => new(name, OnnxElementType.Int64, shape);

    public override string ToString() => $"{Name} {OnnxDim.Format(Shape)} {ElementType.ToString().ToLowerInvariant()}";
}
