namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// The type of a <see cref="DataTable"/> column. Row values are stored as:
/// <list type="bullet">
/// <item><see cref="ScalarType"/>: <c>float</c>, <c>double</c>, <c>int</c>, <c>bool</c> or <c>string</c>.</item>
/// <item><see cref="VectorType"/>: <c>float[]</c> of a fixed <c>Size</c> (or any length when <c>Size</c> is null).</item>
/// <item><see cref="SequenceType"/>: a <see cref="Features.FeatureMatrix"/> — a variable-length sequence of
/// <c>FeatureSize</c>-dim vectors (e.g. LLD segments [T × 50] or frames [T × n_mfcc]).</item>
/// <item><see cref="TensorType"/>: a <see cref="TensorValue"/> with a fixed shape (null entries = any size).</item>
/// <item><see cref="AudioType"/>: an <see cref="Audio.AudioClip"/>, loaded lazily when a row is read.</item>
/// </list>
/// Types print the way errors should read them: <c>Vector&lt;float&gt;[50]</c>, <c>Sequence&lt;float&gt;[*, 18]</c>.
/// </summary>
public abstract record ColumnType
{
    public static ScalarType Float { get; } = new(ScalarKind.Float);
    public static ScalarType Double { get; } = new(ScalarKind.Double);
    public static ScalarType Int { get; } = new(ScalarKind.Int);
    public static ScalarType Bool { get; } = new(ScalarKind.Bool);
    public static ScalarType String { get; } = new(ScalarKind.String);
    public static AudioType Audio { get; } = new();
    public static VectorType Vector(int? size = null) => new(size);
    public static SequenceType Sequence(int featureSize) => new(featureSize);
    public static TensorType Tensor(params int?[] shape) => new(shape);

    /// <summary>The CLR type of a row value of this column.</summary>
    public abstract Type ClrType { get; }

    /// <summary>True when a value of <paramref name="actual"/> type can be used where this type is expected
    /// (a fixed-size vector satisfies a variable-size expectation; a size must match when both are fixed).</summary>
    public virtual bool Accepts(ColumnType actual) => Equals(actual);
}

public enum ScalarKind { Float, Double, Int, Bool, String }

public sealed record ScalarType(ScalarKind Kind) : ColumnType
{
    public override Type ClrType => Kind switch
    {
        ScalarKind.Float => typeof(float),
        ScalarKind.Double => typeof(double),
        ScalarKind.Int => typeof(int),
        ScalarKind.Bool => typeof(bool),
        _ => typeof(string),
    };

    public override string ToString() => Kind.ToString().ToLowerInvariant();
}

public sealed record VectorType(int? Size) : ColumnType
{
    public override Type ClrType => typeof(float[]);
    public override bool Accepts(ColumnType actual) => actual is VectorType v && (Size is null || v.Size == Size);
    public override string ToString() => $"Vector<float>[{(Size?.ToString() ?? "*")}]";
}

public sealed record SequenceType(int FeatureSize) : ColumnType
{
    public override Type ClrType => typeof(Features.FeatureMatrix);
    public override bool Accepts(ColumnType actual) => actual is SequenceType s && (FeatureSize <= 0 || s.FeatureSize == FeatureSize);
    public override string ToString() => $"Sequence<float>[*, {(FeatureSize > 0 ? FeatureSize.ToString() : "*")}]";
}

public sealed record TensorType(int?[] Shape) : ColumnType
{
    public override Type ClrType => typeof(TensorValue);

    public override bool Accepts(ColumnType actual)
    {
        if (actual is not TensorType t || t.Shape.Length != Shape.Length) return false;
        for (int i = 0; i < Shape.Length; i++)
            if (Shape[i] is int s && t.Shape[i] is int a && s != a) return false;
        return true;
    }

    public bool Equals(TensorType? other) => other is not null && Shape.SequenceEqual(other.Shape);
    public override int GetHashCode() => Shape.Aggregate(17, (h, s) => h * 31 + (s ?? -1));
    public override string ToString() => $"Tensor<float>[{string.Join(", ", Shape.Select(s => s?.ToString() ?? "*"))}]";
}

public sealed record AudioType : ColumnType
{
    public override Type ClrType => typeof(Audio.AudioClip);
    public override string ToString() => "Audio";
}

/// <summary>A dense row-major float32 tensor value stored in a <see cref="TensorType"/> column (e.g. a [1, 128, T] spectrogram).</summary>
public sealed record TensorValue(float[] Data, int[] Shape)
{
    public static TensorValue Create(float[] data, params int[] shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        if (n != data.Length) throw new ShapeMismatchException($"tensor data has {data.Length} values but shape [{string.Join(", ", shape)}] needs {n}");
        return new TensorValue(data, shape);
    }
}
