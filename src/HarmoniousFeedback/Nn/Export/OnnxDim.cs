using System.Globalization;

namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// One dimension of an ONNX tensor shape: a fixed size (<c>dim_value</c>), a named symbolic size (<c>dim_param</c>, e.g.
/// <c>"batch"</c> or <c>"time"</c> — a dynamic axis that may differ between runs; equal names mean equal sizes), or
/// unknown (neither is written). Converts implicitly from <see cref="int"/> (fixed) and <see cref="string"/> (symbolic),
/// so a shape reads <c>["batch", "time", 50]</c>.
/// </summary>
public readonly record struct OnnxDim
{
    private OnnxDim(int? value, string? param) { Value = value; Param = param; }

    /// <summary>The fixed size, or null for a symbolic or unknown dimension.</summary>
    public int? Value { get; }

    /// <summary>The symbolic name, or null for a fixed or unknown dimension.</summary>
    public string? Param { get; }

    /// <summary>True when the size is fixed.</summary>
    public bool IsFixed => Value is not null;

    /// <summary>A fixed size ≥ 0.</summary>
    /// <exception cref="OnnxExportException">A negative size.</exception>
    public static OnnxDim Fixed(int value) => value >= 0 ? new(value, null)
        : throw new OnnxExportException($"an ONNX dimension of fixed size {value} is impossible: sizes are >= 0");

    /// <summary>A named dynamic size (ONNX <c>dim_param</c>).</summary>
    /// <exception cref="OnnxExportException">An empty name.</exception>
    public static OnnxDim Symbolic(string name) => !string.IsNullOrWhiteSpace(name) ? new(null, name)
        : throw new OnnxExportException("a symbolic ONNX dimension needs a non-empty name (e.g. \"batch\")");

    /// <summary>A dimension whose size the graph does not state.</summary>
    public static OnnxDim Unknown => default;

    public static implicit operator OnnxDim(int value) => Fixed(value);
    public static implicit operator OnnxDim(string name) => Symbolic(name);

    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Param ?? "?";

    /// <summary>"[batch, time, 50]".</summary>
    public static string Format(IReadOnlyList<OnnxDim>? shape) => shape is null ? "[unknown rank]" : "[" + string.Join(", ", shape) + "]";
}
