using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Transforms;

public sealed class MinMaxNormalizeTransformer(string outputColumn, string inputColumn, MinMaxNormalizer normalizer) : ITransformer
{
    public string OutputColumn { get; } = outputColumn;
    public string InputColumn { get; } = inputColumn;
    public MinMaxNormalizer Normalizer { get; } = normalizer;

    public Schema GetOutputSchema(Schema input)
    {
        var c = input.RequireAny($"MinMaxNormalize('{OutputColumn}')", InputColumn, [ColumnType.Sequence(Normalizer.Min.Length), ColumnType.Vector(Normalizer.Min.Length)],
            $"The normaliser was fitted on {Normalizer.Min.Length} features.");
        return input.With(c with { Name = OutputColumn });
    }

    internal static IEnumerable<FeatureMatrix> AsMatrices(DataTable t, string column)
    {
        var c = t[column];
        for (int r = 0; r < t.RowCount; r++)
        {
            yield return c.GetBoxed(r) switch
            {
                FeatureMatrix m => m,
                float[] v => new FeatureMatrix(v, 1, v.Length, t.Schema[column]!.SlotNames ?? Enumerable.Range(0, v.Length).Select(i => $"{column}[{i}]").ToArray(), [0.0]),
                var o => throw new SchemaMismatchException($"MinMaxNormalize: row {r} of '{column}' is {o?.GetType().Name ?? "null"}"),
            };
        }
    }

    public DataTable Transform(DataTable input)
    {
        var col = GetOutputSchema(input.Schema)[OutputColumn]!;
        var matrices = AsMatrices(input, InputColumn).ToArray();
        var scaled = new FeatureMatrix[matrices.Length];
        ParallelRows.For(scaled.Length, r => scaled[r] = Normalizer.Transform(matrices[r]));
        DataColumn outCol = col.Type is SequenceType
            ? new DataColumn<FeatureMatrix>(col, scaled)
            : new DataColumn<float[]>(col, scaled.Select(m => m.Data).ToArray());
        return input.With(outCol);
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(InputColumn);
        writer.Write(Normalizer.Min);
        writer.Write(Normalizer.Max);
        writer.Write(Normalizer.FeatureNames);
        writer.Write(Normalizer.ClipToUnitRange);
    }

    public static MinMaxNormalizeTransformer Load(ModelReader reader)
    {
        var o = reader.ReadString();
        var i = reader.ReadString();
        var min = reader.ReadSingleArray();
        var max = reader.ReadSingleArray();
        var names = reader.ReadStringArray();
        return new MinMaxNormalizeTransformer(o, i, new MinMaxNormalizer(min, max, names, reader.ReadBoolean()));
    }
}
