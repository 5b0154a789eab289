using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Transforms;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

/// <summary>Every transform on <c>ctx.Transforms</c> and every registered model kind through <see cref="EstimatorWorkout"/>.</summary>
public class EstimatorWorkoutTests
{
    private static readonly string[] Labels = ["a", "b", "c"];

    /// <summary>24 rows: a vector [4], a sequence [T × 3] (T = 2..4) and a tone per row, labels learnable from both.</summary>
    private static DataTable Table()
    {
        var rng = new Random(7);
        int n = 24;
        var label = Enumerable.Range(0, n).Select(i => Labels[i % 3]).ToArray();
        var vec = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, 4).Select(j => (float)(j == 0 ? i % 3 * 2 + rng.NextDouble() : rng.NextDouble())).ToArray()).ToArray();
        var seq = Enumerable.Range(0, n).Select(i =>
        {
            int t = 2 + i % 3;
            var d = Enumerable.Range(0, t * 3).Select(j => (float)(j % 3 == 0 ? i % 3 + 0.1 * rng.NextDouble() : rng.NextDouble())).ToArray();
            return new FeatureMatrix(d, t, 3, ["x", "y", "z"], Enumerable.Range(0, t).Select(k => 3.0 * k).ToArray());
        }).ToArray();
        var audio = Enumerable.Range(0, n).Select(i => new AudioClip(Enumerable.Range(0, 8000).Select(s => (float)(0.3 * Math.Sin(2 * Math.PI * (220 + 110 * (i % 3)) * s / 16000))).ToArray(), 16000)).ToArray();
        return new DataTable([
            new DataColumn<string>("Id", ColumnType.String, Enumerable.Range(0, n).Select(i => $"r{i}").ToArray()),
            new DataColumn<string>("Group", ColumnType.String, Enumerable.Range(0, n).Select(i => $"g{i / 2}").ToArray()),
            new DataColumn<string>("Label", ColumnType.String, label),
            new DataColumn<float[]>(new SchemaColumn("Vec", ColumnType.Vector(4)) { SlotNames = ["v0", "v1", "v2", "v3"] }, vec),
            new DataColumn<FeatureMatrix>(new SchemaColumn("Seq", ColumnType.Sequence(3)) { SlotNames = ["x", "y", "z"] }, seq),
            new DataColumn<AudioClip>("Audio", ColumnType.Audio, audio),
        ]);
    }

    public static TheoryData<string> Transforms => new() { "NormalizeMinMax(vector)", "NormalizeMinMax(sequence)", "PoolSequence", "Concatenate", "Spectrogram", "MelSpectrogram", "LogMel", "Mfcc", "LldFrames" };

    [Theory]
    [MemberData(nameof(Transforms))]
    public void Every_transform_passes_the_workout(string name)
    {
        (Func<int, IEstimator<ITransformer>> create, string input) = name switch
        {
            "NormalizeMinMax(vector)" => ((Func<int, IEstimator<ITransformer>>)(s => new HfContext(s).Transforms.NormalizeMinMax("VecN", "Vec")), "Vec"),
            "NormalizeMinMax(sequence)" => (s => new HfContext(s).Transforms.NormalizeMinMax("SeqN", "Seq"), "Seq"),
            "PoolSequence" => (s => new HfContext(s).Transforms.PoolSequence("Pooled", "Seq"), "Seq"),
            "Concatenate" => (s => new HfContext(s).Transforms.Concatenate("All", "Vec", "Vec"), "Vec"),
            "Spectrogram" => (s => new HfContext(s).Transforms.Spectrogram("Spec", "Audio"), "Audio"),
            "MelSpectrogram" => (s => new HfContext(s).Transforms.MelSpectrogram("Mel", "Audio"), "Audio"),
            "LogMel" => (s => new HfContext(s).Transforms.LogMel("LogMel", "Audio"), "Audio"),
            "Mfcc" => (s => new HfContext(s).Transforms.Mfcc("Mfcc", "Audio"), "Audio"),
            _ => (s => new HfContext(s).Transforms.LldFrames("LldFrames", "Audio"), "Audio"),
        };
        EstimatorWorkout.Run(create, Table(), input);
    }

    public static TheoryData<string> Kinds => new(ModelRegistry.CreateBuiltIn().Names);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_registered_model_kind_passes_the_workout(string kind)
    {
        var configured = ModelRegistry.Default.Get(kind).Configure(null);
        var table = Table();
        // Feed each kind the column type it reads by default: the LSTM a sequence (kept small), classical models a vector.
        var seqProblems = new List<string>();
        configured.CheckInputs([new ModelInput("seq", "Seq", ColumnType.Sequence(3))], seqProblems);
        var vecProblems = new List<string>();
        configured.CheckInputs([new ModelInput("vec", "Vec", ColumnType.Vector(4))], vecProblems);
        string column = vecProblems.Count == 0 ? "Vec" : "Seq";
        Assert.True(seqProblems.Count == 0 || vecProblems.Count == 0, $"{kind} reads neither a vector nor a sequence");
        var parameters = kind == "lstm" ? new Dictionary<string, object?> { ["hidden"] = 4, ["attentionDim"] = 3, ["epochs"] = 3, ["batchSize"] = 8 } : null;
        EstimatorWorkout.Run(s => new HfContext(s).MulticlassClassification.Trainers.Create(kind, column, parameters), table, column);
    }
}
