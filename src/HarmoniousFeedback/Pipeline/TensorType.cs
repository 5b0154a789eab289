namespace HarmoniousFeedback.Pipeline;

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
