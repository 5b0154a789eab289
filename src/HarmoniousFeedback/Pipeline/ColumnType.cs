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
