using System.Text.Json;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.MLNet.Data;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlTransformer = Microsoft.ML.ITransformer;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>
/// A trained ML.NET multiclass model in the toolkit's terms: <see cref="Classes"/> in index order and P(class | x)
/// (ML.NET's <c>Score</c> column: softmax for LightGBM and SDCA, normalised calibrated one-versus-all for FastTree).
/// Implements <see cref="IMulticlassModel"/>, so it drops into the toolkit pipeline (<see cref="MlNetMulticlassTrainer"/>)
/// and saves in the toolkit's model format with the ML.NET model zip embedded.
/// </summary>
public sealed class MlNetMulticlassModel : IMulticlassModel
{
    internal const string FeatureColumn = "Features";
    internal const string LabelColumn = "Label";

    private readonly MLContext _ml;
    private readonly MlTransformer _model;

    internal MlNetMulticlassModel(MLContext ml, MlTransformer model, string[] classes, int featureCount, MlNetTrainerOptions options)
    {
        _ml = ml;
        _model = model;
        Classes = classes;
        FeatureCount = featureCount;
        Options = options;
    }

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Features per input row (d).</summary>
    public int FeatureCount { get; }

    /// <summary>The options the model was trained with.</summary>
    public MlNetTrainerOptions Options { get; }

    /// <summary>The fitted ML.NET transformer (reads a <c>Features</c> Vector&lt;Single, d&gt;, adds <c>Score</c> and <c>PredictedLabel</c>).</summary>
    public MlTransformer MlNetModel => _model;

    /// <summary>P(class | x) for every row: [rows][classes], columns in <see cref="Classes"/> order.</summary>
    public float[][] PredictProbabilities(IReadOnlyList<float[]> features)
    {
        for (int r = 0; r < features.Count; r++)
            if (features[r].Length != FeatureCount)
                throw new ShapeMismatchException($"MlNetMulticlassModel: row {r} has {features[r].Length} features but the model was trained on {FeatureCount}");
        var table = new DataTable([new DataColumn<float[]>(FeatureColumn, ColumnType.Vector(FeatureCount), features.ToArray())]);
        var scored = _model.Transform(new DataTableDataView(table));
        var result = new float[features.Count][];
        int i = 0;
        using (var cursor = scored.GetRowCursor([scored.Schema["Score"]]))
        {
            var get = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            var score = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                get(ref score);
                if (score.Length != Classes.Count)
                    throw new ShapeMismatchException($"MlNetMulticlassModel: ML.NET returned {score.Length} scores for {Classes.Count} classes");
                result[i] = new float[Classes.Count];
                score.CopyTo(result[i++]);
            }
        }
        return result;
    }

    public void PredictProbabilities(object input, Span<float> probabilities)
    {
        var x = input as float[] ?? throw new SchemaMismatchException($"MlNetMulticlassModel: input is {input?.GetType().Name ?? "null"}; a float[] feature vector is expected");
        PredictProbabilities([x])[0].CopyTo(probabilities);
    }

    /// <summary>All rows in one ML.NET pass (the interface's default would call ML.NET once per row).</summary>
    public void PredictProbabilitiesBatch(IReadOnlyList<object> inputs, float[][] probabilities)
    {
        var x = inputs.Select((o, r) => o as float[] ?? throw new SchemaMismatchException($"MlNetMulticlassModel: row {r} is {o?.GetType().Name ?? "null"}; a float[] feature vector is expected")).ToArray();
        var p = PredictProbabilities(x);
        for (int r = 0; r < p.Length; r++) p[r].CopyTo(probabilities[r], 0);
    }

    /// <summary>
    /// Predictions in the toolkit's currency for the rows of <paramref name="table"/>: argmax class (lowest index on
    /// ties, as the toolkit's prediction transformer) and every class's probability.
    /// </summary>
    public IReadOnlyList<Prediction> Predict(DataTable table, string featureColumn, string labelColumn, string idColumn, int fold = 0, int repeat = 0)
    {
        table.Schema.Require(nameof(MlNetMulticlassModel), featureColumn, ColumnType.Vector(FeatureCount));
        table.Schema.Require(nameof(MlNetMulticlassModel), labelColumn, ColumnType.String);
        table.Schema.Require(nameof(MlNetMulticlassModel), idColumn, ColumnType.String);
        var p = PredictProbabilities(table.Column<float[]>(featureColumn).ToArray());
        var truth = table.Column<string>(labelColumn);
        var ids = table.Column<string>(idColumn);
        var result = new Prediction[p.Length];
        for (int r = 0; r < p.Length; r++)
        {
            int best = 0;
            for (int k = 1; k < p[r].Length; k++) if (p[r][k] > p[r][best]) best = k;
            var probs = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int k = 0; k < Classes.Count; k++) probs[Classes[k]] = p[r][k];
            result[r] = new Prediction(ids[r], fold, repeat, truth[r], Classes[best], probs);
        }
        return result;
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(JsonSerializer.Serialize(Options, HfJson));
        writer.Write(Classes);
        writer.Write(FeatureCount);
        using var ms = new MemoryStream();
        var schema = new DataTableDataView(new DataTable([new DataColumn<float[]>(FeatureColumn, ColumnType.Vector(FeatureCount), [])])).Schema;
        _ml.Model.Save(_model, schema, ms);
        writer.Write(ms.ToArray());
    }

    public static MlNetMulticlassModel Load(ModelReader reader)
    {
        var json = reader.ReadString();
        MlNetTrainerOptions options;
        try
        {
            options = JsonSerializer.Deserialize<MlNetTrainerOptions>(json, HfJson) ?? throw new CheckpointException($"{reader.Source}: empty ML.NET trainer options");
        }
        catch (JsonException e) { throw new CheckpointException($"{reader.Source}: ML.NET trainer options cannot be read: {e.Message}", e); }
        var classes = reader.ReadStringArray();
        int d = reader.ReadInt32();
        var bytes = reader.ReadBytes();
        var ml = new MLContext(seed: options.Seed);
        MlTransformer model;
        try
        {
            using var ms = new MemoryStream(bytes, writable: false);
            model = ml.Model.Load(ms, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new CheckpointException($"{reader.Source}: the embedded ML.NET model cannot be loaded: {e.Message}", e);
        }
        return new MlNetMulticlassModel(ml, model, classes, d, options);
    }

    private static readonly JsonSerializerOptions HfJson = new() { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver };
}
