namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// A constant tensor of an ONNX graph (an <c>initializer</c>, or the value of a <c>Constant</c> node): a name, the
/// dims and the row-major data in exactly one of <see cref="FloatData"/>, <see cref="Int64Data"/> or
/// <see cref="Int32Data"/>.
/// </summary>
public sealed class OnnxTensor
{
    private OnnxTensor(string name, OnnxElementType type, long[] dims, float[]? f, long[]? l, int[]? i)
    {
        long n = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new OnnxExportException($"initializer '{name}' has a negative dimension in {string.Join("×", dims)}");
            n *= d;
        }
        long have = f?.Length ?? l?.Length ?? i?.Length ?? 0;
        if (n != have) throw new OnnxExportException($"initializer '{name}' has dims [{string.Join(", ", dims)}] ({n} elements) but {have} values");
        Name = name; ElementType = type; Dims = dims; FloatData = f; Int64Data = l; Int32Data = i;
    }

    public string Name { get; }
    public OnnxElementType ElementType { get; }
    public IReadOnlyList<long> Dims { get; }
    public float[]? FloatData { get; }
    public long[]? Int64Data { get; }
    public int[]? Int32Data { get; }

    /// <summary>A float32 tensor; <paramref name="data"/> is copied.</summary>
    public static OnnxTensor Float(string name, ReadOnlySpan<float> data, params long[] dims) => new(name, OnnxElementType.Float, dims, data.ToArray(), null, null);

    /// <summary>An int64 tensor; <paramref name="data"/> is copied.</summary>
    public static OnnxTensor Int64(string name, ReadOnlySpan<long> data, params long[] dims) => new(name, OnnxElementType.Int64, dims, null, data.ToArray(), null);

    /// <summary>An int32 tensor; <paramref name="data"/> is copied.</summary>
    public static OnnxTensor Int32(string name, ReadOnlySpan<int> data, params long[] dims) => new(name, OnnxElementType.Int32, dims, null, null, data.ToArray());

    /// <summary>The same data under another name.</summary>
    public OnnxTensor WithName(string name) => new(name, ElementType, Dims.ToArray(), FloatData, Int64Data, Int32Data);
}
