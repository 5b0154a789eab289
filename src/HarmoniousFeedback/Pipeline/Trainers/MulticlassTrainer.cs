namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// A trained multiclass model as the pipeline sees it: class names (in index order) and class probabilities for one
/// input row. The input is a <c>float[]</c> for vector features or a <see cref="Features.FeatureMatrix"/> for
/// sequence features. To be saveable, an implementation also declares <c>public static TSelf Load(ModelReader)</c>.
/// </summary>
public interface IMulticlassModel
{
    IReadOnlyList<string> Classes { get; }

    /// <summary>Writes P(class | input) into <paramref name="probabilities"/> (length = number of classes).</summary>
    void PredictProbabilities(object input, Span<float> probabilities);

    /// <summary>Probabilities for many rows at once; the default calls <see cref="PredictProbabilities"/> per row in parallel.</summary>
    void PredictProbabilitiesBatch(IReadOnlyList<object> inputs, float[][] probabilities)
        => ParallelRows.For(inputs.Count, i => PredictProbabilities(inputs[i], probabilities[i]));

    void Save(ModelWriter writer);
}

/// <summary>The column names and input kind a multiclass trainer uses (ML.NET's labelColumnName/featureColumnName).</summary>
public sealed record MulticlassColumns(string FeatureColumn = "Features", string LabelColumn = "Label")
{
    public const string PredictedLabel = "PredictedLabel";
    public const string Score = "Score";

    /// <summary>
    /// <paramref name="input"/> with the <see cref="Score"/> column (<paramref name="probabilities"/>, one row per input row)
    /// and the <see cref="PredictedLabel"/> column (the arg-max class; the first on ties) of <paramref name="schema"/>.
    /// </summary>
    internal static DataTable WithPredictions(DataTable input, Schema schema, float[][] probabilities, IReadOnlyList<string> classes)
    {
        var labels = new string[probabilities.Length];
        for (int r = 0; r < probabilities.Length; r++)
        {
            var p = probabilities[r];
            int best = 0;
            for (int k = 1; k < p.Length; k++) if (p[k] > p[best]) best = k;
            labels[r] = classes[best];
        }
        return input
            .With(new DataColumn<float[]>(schema[Score]!, probabilities))
            .With(new DataColumn<string>(schema[PredictedLabel]!, labels));
    }
}

/// <summary>
/// Base of every multiclass trainer: checks the schema (feature column of the expected kind, string label column,
/// the label never used as a feature), maps labels to class indices (sorted ordinally, so the order is reproducible),
/// validates the data (≥ 2 classes, no empty feature rows, finite values) before training, and wraps the trained model
/// in a <see cref="MulticlassPredictionTransformer"/> that adds <c>PredictedLabel</c> (string) and <c>Score</c>
/// (class probabilities) columns.
/// </summary>
public abstract class MulticlassTrainerBase : IEstimator<MulticlassPredictionTransformer>
{
    protected MulticlassTrainerBase(MulticlassColumns columns)
    {
        if (columns.FeatureColumn == columns.LabelColumn)
            throw new SchemaMismatchException($"{GetType().Name}: the feature column and the label column are both '{columns.LabelColumn}'; the label must never be a model input");
        Columns = columns;
    }

    public MulticlassColumns Columns { get; }

    /// <summary>The feature column types this trainer accepts (vectors for SVM/LDA, sequences for the LSTM).</summary>
    protected abstract IReadOnlyList<ColumnType> AcceptedFeatureTypes { get; }

    protected string Stage => GetType().Name;

    public Schema GetOutputSchema(Schema input)
    {
        input.RequireAny(Stage, Columns.FeatureColumn, AcceptedFeatureTypes,
            AcceptedFeatureTypes.All(t => t is VectorType) ? "Pool sequences into a vector first (ctx.Transforms.PoolSequence)." : null);
        input.Require(Stage, Columns.LabelColumn, ColumnType.String);
        return MulticlassPredictionTransformer.OutputSchema(input);
    }

    public MulticlassPredictionTransformer Fit(DataTable input)
    {
        GetOutputSchema(input.Schema);
        var labels = input.Column<string>(Columns.LabelColumn).ToArray();
        var classes = labels.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToArray();
        if (input.RowCount == 0) throw new DatasetException($"{Stage}: the training data is empty");
        if (classes.Length < 2)
            throw new DatasetException($"{Stage}: the training data has a single class ('{classes[0]}'); a classifier needs at least 2 classes");
        var index = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
        var y = labels.Select(l => index[l]).ToArray();
        var x = ReadInputs(input);
        var model = Train(input, x, y, classes);
        return new MulticlassPredictionTransformer(Columns.FeatureColumn, model);
    }

    /// <summary>The feature values of every row (float[] or FeatureMatrix), checked to be finite.</summary>
    protected object[] ReadInputs(DataTable input)
    {
        var col = input[Columns.FeatureColumn];
        var x = new object[input.RowCount];
        for (int r = 0; r < x.Length; r++)
        {
            var v = col.GetBoxed(r) ?? throw new DatasetException($"{Stage}: row {r} of '{Columns.FeatureColumn}' is empty");
            var data = v switch { float[] a => a, Features.FeatureMatrix m => m.Data, _ => throw new SchemaMismatchException($"{Stage}: row {r} of '{Columns.FeatureColumn}' is a {v.GetType().Name}") };
            for (int j = 0; j < data.Length; j++)
                if (!float.IsFinite(data[j]))
                    throw new DatasetException($"{Stage}: row {r} of '{Columns.FeatureColumn}' has a non-finite value ({data[j]}) at position {j}");
            x[r] = v;
        }
        return x;
    }

    /// <summary>Trains on inputs <paramref name="x"/> with class indices <paramref name="y"/> (0 .. classes.Length − 1).</summary>
    protected abstract IMulticlassModel Train(object[] x, int[] y, string[] classes);

    /// <summary>Like <see cref="Train(object[], int[], string[])"/> with access to the whole training table (e.g. group ids for a validation split).</summary>
    protected virtual IMulticlassModel Train(DataTable input, object[] x, int[] y, string[] classes) => Train(x, y, classes);
}

/// <summary>Applies a trained <see cref="IMulticlassModel"/>: adds <c>Score</c> (probabilities) and <c>PredictedLabel</c> (argmax, lowest index on ties).</summary>
public sealed class MulticlassPredictionTransformer : ITransformer
{
    public MulticlassPredictionTransformer(string featureColumn, IMulticlassModel model)
    {
        FeatureColumn = featureColumn;
        Model = model;
    }

    public string FeatureColumn { get; }
    public IMulticlassModel Model { get; }

    internal static Schema OutputSchema(Schema input) => input
        .With(new SchemaColumn(MulticlassColumns.Score, ColumnType.Vector()))
        .With(new SchemaColumn(MulticlassColumns.PredictedLabel, ColumnType.String));

    public Schema GetOutputSchema(Schema input)
    {
        var c = input[FeatureColumn] ?? throw new SchemaMismatchException($"MulticlassPrediction: input column '{FeatureColumn}' not found; the model was trained on it. Available: {input}");
        if (c.Type is not (VectorType or SequenceType)) throw new SchemaMismatchException($"MulticlassPrediction: column '{FeatureColumn}' has type {c.Type}; the model expects the vector or sequence it was trained on");
        return OutputSchema(input).With(new SchemaColumn(MulticlassColumns.Score, ColumnType.Vector(Model.Classes.Count)) { SlotNames = Model.Classes });
    }

    public DataTable Transform(DataTable input)
    {
        var schema = GetOutputSchema(input.Schema);
        var col = input[FeatureColumn];
        var inputs = new object[input.RowCount];
        for (int r = 0; r < inputs.Length; r++) inputs[r] = col.GetBoxed(r)!;
        var probs = new float[inputs.Length][];
        for (int r = 0; r < probs.Length; r++) probs[r] = new float[Model.Classes.Count];
        Model.PredictProbabilitiesBatch(inputs, probs);
        return MulticlassColumns.WithPredictions(input, schema, probs, Model.Classes);
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(FeatureColumn);
        var type = Model.GetType();
        if (type.GetMethod("Load", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(ModelReader)]) is null)
            throw new CheckpointException($"{type.FullName} cannot be saved: it needs a public static Load(ModelReader) method");
        writer.Write(type.AssemblyQualifiedName!);
        Model.Save(writer);
    }

    public static MulticlassPredictionTransformer Load(ModelReader reader)
    {
        var feature = reader.ReadString();
        var typeName = reader.ReadString();
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new CheckpointException($"{reader.Source}: model type '{typeName}' cannot be found; load the assembly that defines it first");
        var load = type.GetMethod("Load", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(ModelReader)])
            ?? throw new CheckpointException($"{reader.Source}: model type {type.FullName} has no public static Load(ModelReader) method");
        object? model;
        try { model = load.Invoke(null, [reader]); }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is HarmoniousFeedbackException inner) { throw inner; }
        return new MulticlassPredictionTransformer(feature, model as IMulticlassModel
            ?? throw new CheckpointException($"{reader.Source}: {type.Name}.Load did not return an IMulticlassModel"));
    }
}
