namespace HarmoniousFeedback.Pipeline;

/// <summary>Fitted transformers applied in order; <see cref="LastTransformer"/> is typically the trained model.</summary>
public sealed class TransformerChain<TLast> : ITransformer where TLast : class, ITransformer
{
    public TransformerChain(IReadOnlyList<ITransformer> transformers)
    {
        if (transformers.Count == 0) throw new SchemaMismatchException("a transformer chain needs at least one transformer");
        Transformers = transformers;
        LastTransformer = transformers[^1] as TLast ?? throw new SchemaMismatchException(
            $"the last transformer is {transformers[^1].GetType().Name}, not {typeof(TLast).Name}");
    }

    public IReadOnlyList<ITransformer> Transformers { get; }
    public TLast LastTransformer { get; }

    public Schema GetOutputSchema(Schema input)
    {
        var s = input;
        foreach (var t in Transformers) s = t.GetOutputSchema(s);
        return s;
    }

    public DataTable Transform(DataTable input)
    {
        GetOutputSchema(input.Schema);
        var d = input;
        foreach (var t in Transformers) d = t.Transform(d);
        return d;
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(Transformers.Count);
        foreach (var t in Transformers) writer.WriteTransformer(t);
    }

    public static TransformerChain<TLast> Load(ModelReader reader)
    {
        int n = reader.ReadInt32();
        if (n <= 0 || n > 10_000) throw new CheckpointException($"{reader.Source}: transformer chain declares {n} steps (allowed 1 .. 10000)");
        var list = new List<ITransformer>(n);
        for (int i = 0; i < n; i++) list.Add(reader.ReadTransformer());
        return new TransformerChain<TLast>(list);
    }
}
