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

/// <summary>A node attribute (ONNX <c>AttributeProto</c>), e.g. <c>kernel_shape</c>, <c>epsilon</c>, <c>direction</c>.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind) { Name = name; Kind = kind; }

    public string Name { get; }
    public OnnxAttributeKind Kind { get; }
    public long Int { get; private init; }
    public float Float { get; private init; }
    public string? String { get; private init; }
    public IReadOnlyList<long>? Ints { get; private init; }
    public IReadOnlyList<float>? Floats { get; private init; }
    public IReadOnlyList<string>? Strings { get; private init; }
    public OnnxTensor? Tensor { get; private init; }

    /// <summary>An <c>INT</c> attribute (e.g. <c>axis</c>, <c>hidden_size</c>).</summary>
    public static OnnxAttribute Of(string name, long value) => new(name, OnnxAttributeKind.Int) { Int = value };
    /// <summary>A <c>FLOAT</c> attribute (e.g. <c>epsilon</c>).</summary>
    public static OnnxAttribute Of(string name, float value) => new(name, OnnxAttributeKind.Float) { Float = value };
    /// <summary>A <c>STRING</c> attribute (e.g. <c>direction</c>, <c>approximate</c>).</summary>
    public static OnnxAttribute Of(string name, string value) => new(name, OnnxAttributeKind.String) { String = value };
    /// <summary>An <c>INTS</c> attribute (e.g. <c>kernel_shape</c>, <c>pads</c>, <c>perm</c>).</summary>
    public static OnnxAttribute Of(string name, params long[] values) => new(name, OnnxAttributeKind.Ints) { Ints = values };
    /// <summary>A <c>FLOATS</c> attribute.</summary>
    public static OnnxAttribute Of(string name, params float[] values) => new(name, OnnxAttributeKind.Floats) { Floats = values };
    /// <summary>A <c>STRINGS</c> attribute (e.g. the recurrent ops' <c>activations</c>).</summary>
    public static OnnxAttribute Of(string name, params string[] values) => new(name, OnnxAttributeKind.Strings) { Strings = values };
    /// <summary>A <c>TENSOR</c> attribute (a <c>Constant</c> node's <c>value</c>).</summary>
    public static OnnxAttribute Of(string name, OnnxTensor value) => new(name, OnnxAttributeKind.Tensor) { Tensor = value };

    public override string ToString() => Kind switch
    {
        OnnxAttributeKind.Int => $"{Name}={Int}",
        OnnxAttributeKind.Float => $"{Name}={Float}",
        OnnxAttributeKind.String => $"{Name}=\"{String}\"",
        OnnxAttributeKind.Ints => $"{Name}=[{string.Join(", ", Ints!)}]",
        OnnxAttributeKind.Floats => $"{Name}=[{string.Join(", ", Floats!)}]",
        OnnxAttributeKind.Strings => $"{Name}=[{string.Join(", ", Strings!)}]",
        _ => $"{Name}=<tensor {Tensor!.Name}>",
    };
}
