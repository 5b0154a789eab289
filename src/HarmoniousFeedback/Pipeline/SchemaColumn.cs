namespace HarmoniousFeedback.Pipeline;

/// <summary>One column of a <see cref="Schema"/>: its name, its type and free-form annotations (e.g. slot names).</summary>
public sealed record SchemaColumn(string Name, ColumnType Type)
{
    /// <summary>Names of the vector's slots (feature names), when known; e.g. the 50 LLD column names.</summary>
    public IReadOnlyList<string>? SlotNames { get; init; }

    public override string ToString() => $"{Name}: {Type}";
}
