namespace HarmoniousFeedback.Nn.Export;

/// <summary>The kind of value an <see cref="OnnxAttribute"/> holds (ONNX <c>AttributeProto.AttributeType</c>).</summary>
public enum OnnxAttributeKind
{
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Floats = 6,
    Ints = 7,
    Strings = 8,
}
