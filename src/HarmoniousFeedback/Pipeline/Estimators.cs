namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// A fitted, stateless-at-use step (ML.NET's <c>ITransformer</c>): maps a table to a table. It reports its output schema
/// for a given input schema without touching data, and saves itself through the public <see cref="ModelWriter"/>.
/// To be loadable, an implementation also declares <c>public static TSelf Load(ModelReader reader)</c>; the model file
/// records the type name, so loading needs no registration.
/// </summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> produces for <paramref name="input"/>; throws <see cref="SchemaMismatchException"/> when the input does not fit.</summary>
    Schema GetOutputSchema(Schema input);

    DataTable Transform(DataTable input);

    /// <summary>Writes the transformer's parameters (not its type name, which the model format records).</summary>
    void Save(ModelWriter writer);
}

/// <summary>
/// A trainable step (ML.NET's <c>IEstimator&lt;TTransformer&gt;</c>): <see cref="Fit"/> learns from a table (eagerly) and
/// returns the transformer. <see cref="GetOutputSchema"/> lets a whole chain be checked before any work is done.
/// </summary>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    Schema GetOutputSchema(Schema input);

    TTransformer Fit(DataTable input);
}

/// <summary>An estimator for a transformer that needs no training: <see cref="Fit"/> checks the schema and returns it.</summary>
public sealed class TrivialEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : ITransformer
{
    private readonly TTransformer _transformer;
    public TrivialEstimator(TTransformer transformer) => _transformer = transformer;
    public Schema GetOutputSchema(Schema input) => _transformer.GetOutputSchema(input);

    public TTransformer Fit(DataTable input)
    {
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }
}

/// <summary>
/// Estimators applied in order (ML.NET's <c>EstimatorChain</c>): fitting fits each on the output of the previous
/// fitted steps. The whole chain's schema is checked first, so a missing or mistyped column fails before any work.
/// </summary>
public sealed class EstimatorChain<TLast> : IEstimator<TransformerChain<TLast>> where TLast : class, ITransformer
{
    private readonly IReadOnlyList<IEstimator<ITransformer>> _estimators;

    internal EstimatorChain(IReadOnlyList<IEstimator<ITransformer>> estimators) => _estimators = estimators;

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    public EstimatorChain<TNew> Append<TNew>(IEstimator<TNew> estimator) where TNew : class, ITransformer
        => new([.. _estimators, estimator]);

    public Schema GetOutputSchema(Schema input)
    {
        var s = input;
        foreach (var e in _estimators) s = e.GetOutputSchema(s);
        return s;
    }

    public TransformerChain<TLast> Fit(DataTable input)
    {
        GetOutputSchema(input.Schema); // fail before any work
        var fitted = new List<ITransformer>(_estimators.Count);
        var data = input;
        for (int i = 0; i < _estimators.Count; i++)
        {
            var t = _estimators[i].Fit(data);
            fitted.Add(t);
            if (i < _estimators.Count - 1) data = t.Transform(data);
        }
        return new TransformerChain<TLast>(fitted);
    }
}

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

public static class EstimatorExtensions
{
    /// <summary>Starts a chain: <c>a.Append(b)</c> fits a, transforms, then fits b (ML.NET's <c>Append</c>).</summary>
    public static EstimatorChain<TNew> Append<TNew>(this IEstimator<ITransformer> first, IEstimator<TNew> next) where TNew : class, ITransformer
        => first is EstimatorChain<ITransformer> chain ? chain.Append(next) : new EstimatorChain<TNew>([first, next]);
}
