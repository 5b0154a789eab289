namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// Concatenates scalar (float) and fixed-size vector columns into one vector column, in the given order
/// (ML.NET's <c>Concatenate</c>). Slot names are carried over (<c>column.slot</c>, or the column name for scalars).
/// </summary>
public sealed class ConcatenateTransformer : ITransformer
{
    public string OutputColumn { get; }
    public IReadOnlyList<string> InputColumns { get; }

    public ConcatenateTransformer(string outputColumn, params string[] inputColumns)
    {
        if (inputColumns.Length == 0) throw new SchemaMismatchException($"Concatenate('{outputColumn}'): at least one input column is required");
        OutputColumn = outputColumn;
        InputColumns = inputColumns;
    }

    private static readonly ColumnType[] Accepted = [ColumnType.Float, ColumnType.Vector()];

    public Schema GetOutputSchema(Schema input)
    {
        int size = 0;
        var slots = new List<string>();
        foreach (var name in InputColumns)
        {
            var c = input.RequireAny($"Concatenate('{OutputColumn}')", name, Accepted);
            if (c.Type is VectorType v)
            {
                if (v.Size is null)
                    throw new SchemaMismatchException($"Concatenate('{OutputColumn}'): column '{name}' is {v}, a variable-size vector; only fixed-size vectors can be concatenated (pool sequences first)");
                size += v.Size.Value;
                slots.AddRange(c.SlotNames ?? Enumerable.Range(0, v.Size.Value).Select(i => $"{name}.{i}"));
            }
            else
            {
                size += 1;
                slots.Add(name);
            }
        }
        return input.With(new SchemaColumn(OutputColumn, ColumnType.Vector(size)) { SlotNames = slots });
    }

    public DataTable Transform(DataTable input)
    {
        var schema = GetOutputSchema(input.Schema);
        var outCol = schema[OutputColumn]!;
        int size = ((VectorType)outCol.Type).Size!.Value;
        int n = input.RowCount;
        var rows = new float[n][];
        for (int r = 0; r < n; r++) rows[r] = new float[size];
        int offset = 0;
        foreach (var name in InputColumns)
        {
            var c = input[name];
            if (c is DataColumn<float> f)
            {
                for (int r = 0; r < n; r++) rows[r][offset] = f[r];
                offset += 1;
            }
            else
            {
                var v = (DataColumn<float[]>)c;
                int len = ((VectorType)c.Type).Size!.Value;
                for (int r = 0; r < n; r++)
                {
                    var src = v[r];
                    if (src.Length != len) throw new ShapeMismatchException($"Concatenate: row {r} of '{name}' has {src.Length} values, the schema says {len}");
                    src.CopyTo(rows[r], offset);
                }
                offset += len;
            }
        }
        return input.With(new DataColumn<float[]>(outCol, rows));
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(InputColumns);
    }

    public static ConcatenateTransformer Load(ModelReader reader) => new(reader.ReadString(), reader.ReadStringArray());
}
