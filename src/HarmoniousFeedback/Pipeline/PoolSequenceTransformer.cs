namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// Pools a sequence column [T × F] over time into one fixed-size vector: for each selected statistic, F values
/// (in the order mean, std, min, max). std is the population standard deviation <c>sqrt(mean((x − mean)²))</c>
/// (numpy's default, ddof = 0). An empty sequence (T = 0) gives zeros. This is how classical baselines (SVM/LDA)
/// see segment-level features: e.g. 40 MFCC mean/std statistics per clip.
/// </summary>
public sealed class PoolSequenceTransformer : ITransformer
{
    public string OutputColumn { get; }
    public string InputColumn { get; }
    public SequencePooling Pooling { get; }

    public PoolSequenceTransformer(string outputColumn, string inputColumn, SequencePooling pooling = SequencePooling.MeanStd)
    {
        if (pooling == 0 || ((int)pooling & ~15) != 0)
            throw new OptionsValidationException(nameof(PoolSequenceTransformer), [$"pooling = {pooling} must combine Mean, Std, Min, Max"]);
        OutputColumn = outputColumn;
        InputColumn = inputColumn;
        Pooling = pooling;
    }

    private IEnumerable<SequencePooling> Stats() =>
        new[] { SequencePooling.Mean, SequencePooling.Std, SequencePooling.Min, SequencePooling.Max }.Where(s => Pooling.HasFlag(s));

    public Schema GetOutputSchema(Schema input)
    {
        var c = input.Require($"PoolSequence('{OutputColumn}')", InputColumn, ColumnType.Sequence(0),
            "Pooling works on sequences of vectors such as LLD segments or MFCC frames.");
        int f = ((SequenceType)c.Type).FeatureSize;
        if (f <= 0) throw new SchemaMismatchException($"PoolSequence('{OutputColumn}'): column '{InputColumn}' has an unknown feature size");
        var slots = Stats().SelectMany(s => Enumerable.Range(0, f).Select(i => $"{s.ToString().ToLowerInvariant()}({InputColumn}[{i}])")).ToList();
        return input.With(new SchemaColumn(OutputColumn, ColumnType.Vector(slots.Count)) { SlotNames = slots });
    }

    public DataTable Transform(DataTable input)
    {
        var outCol = GetOutputSchema(input.Schema)[OutputColumn]!;
        var seq = input.Column<Features.FeatureMatrix>(InputColumn);
        var stats = Stats().ToArray();
        var rows = new float[input.RowCount][];
        ParallelRows.For(rows.Length, r => rows[r] = Pool(seq[r], stats));
        return input.With(new DataColumn<float[]>(outCol, rows));
    }

    private static float[] Pool(Features.FeatureMatrix m, SequencePooling[] stats)
    {
        int f = m.Columns, t = m.Rows;
        var result = new float[stats.Length * f];
        if (t == 0) return result;
        for (int j = 0; j < f; j++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int i = 0; i < t; i++)
            {
                double v = m.Data[i * f + j];
                sum += v;
                if (v < min) min = v;
                if (v > max) max = v;
            }
            double mean = sum / t, ss = 0;
            for (int i = 0; i < t; i++)
            {
                double d = m.Data[i * f + j] - mean;
                ss += d * d;
            }
            for (int s = 0; s < stats.Length; s++)
                result[s * f + j] = (float)(stats[s] switch
                {
                    SequencePooling.Mean => mean,
                    SequencePooling.Std => Math.Sqrt(ss / t),
                    SequencePooling.Min => min,
                    _ => max,
                });
        }
        return result;
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(InputColumn);
        writer.Write((int)Pooling);
    }

    public static PoolSequenceTransformer Load(ModelReader reader) => new(reader.ReadString(), reader.ReadString(), (SequencePooling)reader.ReadInt32());
}
