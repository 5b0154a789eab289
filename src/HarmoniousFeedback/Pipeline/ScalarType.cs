namespace HarmoniousFeedback.Pipeline;

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
