namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Base of multiclass trainers that read several feature columns (one per view; <see cref="Registry.TrainerSetup.Inputs"/>):
/// checks the schema of every input column (accepted types per column, string label, the label never an input) before
/// any row is read, maps labels to class indices (sorted ordinally), checks every value is present and finite, trains, and
/// wraps the model in a <see cref="MultiInputPredictionTransformer"/> that adds <c>Score</c> (class probabilities, slot
/// names = classes) and <c>PredictedLabel</c>.
/// </summary>
public abstract class MultiInputTrainerBase : IEstimator<MultiInputPredictionTransformer>
{
    protected MultiInputTrainerBase(IReadOnlyList<string> featureColumns, string labelColumn, string? groupColumn)
    {
        if (featureColumns.Count == 0) throw new SchemaMismatchException($"{GetType().Name}: at least one feature column is required");
        if (featureColumns.Contains(labelColumn))
            throw new SchemaMismatchException($"{GetType().Name}: the label column '{labelColumn}' is also a feature column; the label must never be a model input");
        FeatureColumns = featureColumns;
        LabelColumn = labelColumn;
        GroupColumn = groupColumn;
    }

    public IReadOnlyList<string> FeatureColumns { get; }
    public string LabelColumn { get; }
    /// <summary>Group (song) ids for validation splits that keep a song on one side; null or absent = rows are their own groups.</summary>
    public string? GroupColumn { get; }

    protected string Stage => GetType().Name;

    /// <summary>The types input <paramref name="index"/> may have.</summary>
    protected abstract IReadOnlyList<ColumnType> AcceptedTypes(int index);

    /// <summary>Optional extra schema checks across inputs (e.g. which input is the text); add problems, do not throw.</summary>
    protected virtual void CheckInputs(IReadOnlyList<SchemaColumn> inputs, List<string> problems) { }

    public Schema GetOutputSchema(Schema input)
    {
        var cols = new List<SchemaColumn>();
        for (int i = 0; i < FeatureColumns.Count; i++)
            cols.Add(input.RequireAny(Stage, FeatureColumns[i], AcceptedTypes(i)));
        var problems = new List<string>();
        CheckInputs(cols, problems);
        if (problems.Count > 0) throw new SchemaMismatchException($"{Stage}: {string.Join("; ", problems)}");
        input.Require(Stage, LabelColumn, ColumnType.String);
        return MultiInputPredictionTransformer.OutputSchema(input);
    }

    public MultiInputPredictionTransformer Fit(DataTable input)
    {
        GetOutputSchema(input.Schema);
        if (input.RowCount == 0) throw new DatasetException($"{Stage}: the training data is empty");
        var labels = input.Column<string>(LabelColumn).ToArray();
        var classes = labels.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
            throw new DatasetException($"{Stage}: the training data has a single class ('{classes[0]}'); a classifier needs at least 2 classes");
        var index = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
        var y = labels.Select(l => index[l]).ToArray();
        var x = FeatureColumns.Select(c => ReadColumn(input, c)).ToArray();
        var groups = GroupColumn is not null && input.Schema.Contains(GroupColumn)
            ? input.Column<string>(GroupColumn).ToArray()
            : Enumerable.Range(0, input.RowCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var columns = FeatureColumns.Select(c => input.Schema[c]!).ToArray();
        var model = Train(columns, x, y, classes, groups);
        return new MultiInputPredictionTransformer(FeatureColumns, model);
    }

    /// <summary>Every value of a feature column (float[] or FeatureMatrix), checked present and finite.</summary>
    internal static object[] ReadColumn(DataTable input, string column, string? stage = null)
    {
        var col = input[column];
        var x = new object[input.RowCount];
        for (int r = 0; r < x.Length; r++)
        {
            var v = col.GetBoxed(r) ?? throw new DatasetException($"{stage ?? "model"}: row {r} of '{column}' is empty");
            var data = v switch
            {
                float[] a => a,
                Features.FeatureMatrix m => m.Data,
                _ => throw new SchemaMismatchException($"{stage ?? "model"}: row {r} of '{column}' is a {v.GetType().Name}, not a vector or sequence"),
            };
            for (int j = 0; j < data.Length; j++)
                if (!float.IsFinite(data[j]))
                    throw new DatasetException($"{stage ?? "model"}: row {r} of '{column}' has a non-finite value ({data[j]}) at position {j}");
            x[r] = v;
        }
        return x;
    }

    /// <summary>Trains on <paramref name="x"/>[input][row] (input columns described by <paramref name="columns"/>) with class indices <paramref name="y"/> and group ids per row.</summary>
    protected abstract IMultiInputModel Train(IReadOnlyList<SchemaColumn> columns, object[][] x, int[] y, string[] classes, string[] groups);
}
