namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Applies a trained <see cref="IMultiInputModel"/>: reads its input columns (in training order), adds <c>Score</c>
/// (class probabilities, slot names = classes) and <c>PredictedLabel</c> (argmax, lowest index on ties). Saves the
/// column names, the model's type and the model (<see cref="ModelFile"/>).
/// </summary>
public sealed class MultiInputPredictionTransformer : ITransformer
{
    public MultiInputPredictionTransformer(IReadOnlyList<string> featureColumns, IMultiInputModel model)
    {
        if (featureColumns.Count != model.InputCount)
            throw new SchemaMismatchException($"MultiInputPrediction: {featureColumns.Count} feature columns for a model that reads {model.InputCount}");
        FeatureColumns = featureColumns;
        Model = model;
    }

    public IReadOnlyList<string> FeatureColumns { get; }
    public IMultiInputModel Model { get; }

    internal static Schema OutputSchema(Schema input) => input
        .With(new SchemaColumn(MulticlassColumns.Score, ColumnType.Vector()))
        .With(new SchemaColumn(MulticlassColumns.PredictedLabel, ColumnType.String));

    public Schema GetOutputSchema(Schema input)
    {
        foreach (var name in FeatureColumns)
        {
            var c = input[name] ?? throw new SchemaMismatchException($"MultiInputPrediction: input column '{name}' not found; the model was trained on columns {string.Join(", ", FeatureColumns)}. Available: {input}");
            if (c.Type is not (VectorType or SequenceType))
                throw new SchemaMismatchException($"MultiInputPrediction: column '{name}' has type {c.Type}; the model expects the vector or sequence it was trained on");
        }
        return OutputSchema(input).With(new SchemaColumn(MulticlassColumns.Score, ColumnType.Vector(Model.Classes.Count)) { SlotNames = Model.Classes });
    }

    public DataTable Transform(DataTable input)
    {
        var schema = GetOutputSchema(input.Schema);
        var inputs = FeatureColumns.Select(name =>
        {
            var col = input[name];
            var v = new object[input.RowCount];
            for (int r = 0; r < v.Length; r++) v[r] = col.GetBoxed(r) ?? throw new DatasetException($"MultiInputPrediction: row {r} of '{name}' is empty");
            return (IReadOnlyList<object>)v;
        }).ToArray();
        var probs = new float[input.RowCount][];
        for (int r = 0; r < probs.Length; r++) probs[r] = new float[Model.Classes.Count];
        Model.PredictProbabilitiesBatch(inputs, probs);
        return MulticlassColumns.WithPredictions(input, schema, probs, Model.Classes);
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(FeatureColumns);
        var type = Model.GetType();
        if (type.GetMethod("Load", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(ModelReader)]) is null)
            throw new CheckpointException($"{type.FullName} cannot be saved: it needs a public static Load(ModelReader) method");
        writer.Write(type.AssemblyQualifiedName!);
        Model.Save(writer);
    }

    public static MultiInputPredictionTransformer Load(ModelReader reader)
    {
        var features = reader.ReadStringArray();
        var typeName = reader.ReadString();
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new CheckpointException($"{reader.Source}: model type '{typeName}' cannot be found; load the assembly that defines it first");
        var load = type.GetMethod("Load", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(ModelReader)])
            ?? throw new CheckpointException($"{reader.Source}: model type {type.FullName} has no public static Load(ModelReader) method");
        object? model;
        try { model = load.Invoke(null, [reader]); }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is HarmoniousFeedbackException inner) { throw inner; }
        return new MultiInputPredictionTransformer(features, model as IMultiInputModel
            ?? throw new CheckpointException($"{reader.Source}: {type.Name}.Load did not return an IMultiInputModel"));
    }
}
