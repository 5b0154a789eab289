namespace HarmoniousFeedback.Pipeline;

public sealed record VectorType(int? Size) : ColumnType
{
    public override Type ClrType => typeof(float[]);
    public override bool Accepts(ColumnType actual) => actual is VectorType v && (Size is null || v.Size == Size);
    public override string ToString() => $"Vector<float>[{(Size?.ToString() ?? "*")}]";
}
