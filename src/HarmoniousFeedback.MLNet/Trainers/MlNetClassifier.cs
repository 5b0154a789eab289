using HarmoniousFeedback.MLNet.Data;
using HarmoniousFeedback.Pipeline;
using Microsoft.ML;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// Trains ML.NET's multiclass trainers (LightGBM, SDCA maximum entropy, FastTree one-versus-all) on toolkit data and
/// returns an <see cref="MlNetMulticlassModel"/>: class probabilities and predictions in the toolkit's terms
/// (<see cref="Pipeline.Trainers.IMulticlassModel"/>, <see cref="Evaluation.Prediction"/>), saveable in the toolkit's
/// model format. Classes are numbered in ordinal order, as the toolkit's own trainers number them.
/// Reproducible: same options (seed, <see cref="MlNetTrainerOptions.NumberOfThreads"/> = 1) and data → identical models.
/// </summary>
public static class MlNetClassifier
{
    /// <summary>
    /// Trains on <paramref name="features"/> (rows of one fixed length d) with class indices <paramref name="labels"/>
    /// into <paramref name="classes"/>; every class must occur (ML.NET's trainers learn only the classes they see).
    /// </summary>
    public static MlNetMulticlassModel Train(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, IReadOnlyList<string> classes, MlNetTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Check(features, labels, classes);
        var table = new DataTable([
            new DataColumn<float[]>(MlNetMulticlassModel.FeatureColumn, ColumnType.Vector(features[0].Length), features.ToArray()),
            new DataColumn<string>(MlNetMulticlassModel.LabelColumn, ColumnType.String, labels.Select(y => classes[y]).ToArray()),
        ]);
        var ml = new MLContext(seed: options.Seed);
        var data = new DataTableDataView(table, new DataViewConversionOptions { KeyColumns = [MlNetMulticlassModel.LabelColumn], IncludeFrameTimes = false });
        var trainer = options.CreateTrainer(ml, MlNetMulticlassModel.LabelColumn, MlNetMulticlassModel.FeatureColumn);
        var model = trainer.Fit(data);
        return new MlNetMulticlassModel(ml, model, classes.ToArray(), features[0].Length, options);
    }

    /// <summary>Trains on the vector column <paramref name="featureColumn"/> and string column <paramref name="labelColumn"/> of <paramref name="table"/>.</summary>
    public static MlNetMulticlassModel Train(DataTable table, string featureColumn, string labelColumn, MlNetTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Schema.Require(nameof(MlNetClassifier), featureColumn, ColumnType.Vector(), "Pool sequences into a vector first (ctx.Transforms.PoolSequence).");
        table.Schema.Require(nameof(MlNetClassifier), labelColumn, ColumnType.String);
        var labels = table.Column<string>(labelColumn).ToArray();
        var classes = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
        return Train(table.Column<float[]>(featureColumn).ToArray(), labels.Select(l => index[l]).ToArray(), classes, options);
    }

    private static void Check(IReadOnlyList<float[]> x, IReadOnlyList<int> y, IReadOnlyList<string> classes)
    {
        const string stage = nameof(MlNetClassifier);
        if (x.Count == 0) throw new DatasetException($"{stage}: the training data is empty");
        if (y.Count != x.Count) throw new DatasetException($"{stage}: {x.Count} feature rows but {y.Count} labels");
        if (classes.Count < 2) throw new DatasetException($"{stage}: {classes.Count} class(es); a classifier needs at least 2");
        int d = x[0].Length;
        if (d == 0) throw new DatasetException($"{stage}: feature rows are empty");
        for (int r = 0; r < x.Count; r++)
        {
            if (x[r].Length != d) throw new DatasetException($"{stage}: row {r} has {x[r].Length} features but row 0 has {d}");
            for (int j = 0; j < d; j++)
                if (!float.IsFinite(x[r][j])) throw new DatasetException($"{stage}: row {r} has a non-finite feature ({x[r][j]}) at position {j}");
            if ((uint)y[r] >= (uint)classes.Count) throw new DatasetException($"{stage}: label {y[r]} of row {r} is outside [0, {classes.Count})");
        }
        var missing = Enumerable.Range(0, classes.Count).Except(y).Select(i => classes[i]).ToArray();
        if (missing.Length > 0)
            throw new DatasetException($"{stage}: class(es) {string.Join(", ", missing)} have no training example; ML.NET's trainers only learn the classes they see");
        var order = classes.Order(StringComparer.Ordinal).ToArray();
        if (!order.SequenceEqual(classes))
            throw new DatasetException($"{stage}: classes must be in ordinal order ({string.Join(", ", order)}), as ML.NET's key values and the toolkit's trainers number them");
    }
}
