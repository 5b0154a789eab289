// Using the toolkit from ML.NET: toolkit feature extraction + ML.NET normalisation, key mapping and LightGBM in one
// EstimatorChain; Fit, Evaluate, Save, Load, PredictionEngine. Runs on a fresh clone with only the .NET SDK:
//   dotnet run --project examples/MlNetQuickstart -c Release                 train, evaluate, save, predict
//   dotnet run --project examples/MlNetQuickstart -c Release -- predict      load the saved model in this new process
using System.Globalization;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.MLNet;
using HarmoniousFeedback.MLNet.Data;
using HarmoniousFeedback.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using static Microsoft.ML.Transforms.ValueToKeyMappingEstimator;
using DataTable = HarmoniousFeedback.Pipeline.DataTable;

string work = Path.GetFullPath(Path.Combine("data", "mlnet-quickstart"));
string modelPath = Path.Combine(work, "model.zip");
var mlContext = new MLContext(seed: 1);

if (args is ["predict"])
{
    // A new process: ML.NET finds the toolkit steps through the assembly name saved in the model.
    var loaded = mlContext.Model.Load(modelPath, out _);
    PrintPredictions(mlContext, loaded, File.ReadAllLines(Path.Combine(work, "test-paths.txt")));
    return;
}

// 1. Data: 48 synthetic piano pieces (4 emotion quadrants, 3–6 s each) rendered to WAV by the built-in synthesizer.
var corpus = SyntheticCorpus.Create(new SyntheticCorpusOptions { Clips = 48, MinSegments = 1, MaxSegments = 2, Seed = 7 });
DatasetPreparer.Prepare(corpus, new PianoSynthesizer(), new PrepareOptions { OutputDirectory = work });
var clips = Dataset.Load(work).Clips;
DataTable Table(Split split)
{
    var part = clips.Where(c => split == Split.Train ? c.Split != Split.Test : c.Split == Split.Test).ToArray();
    return DataTable.Create(("Path", part.Select(c => c.AudioPath!).ToArray()), ("Label", part.Select(c => c.Label).ToArray()));
}
IDataView train = mlContext.Data.LoadFromDataTable(Table(Split.Train));
IDataView test = mlContext.Data.LoadFromDataTable(Table(Split.Test));

// 2. Pipeline: toolkit steps (Hf*) and ML.NET's own transforms and trainer in one chain.
var pipeline = mlContext.Transforms.HfLoadAudio("Audio", "Path")
    .Append(mlContext.Transforms.HfPooledLld("Lld", "Audio"))         // 50 LLD × (mean, std) over 3 s segments
    .AppendCacheCheckpoint(mlContext)                                   // extract features once, not once per pass
    .Append(mlContext.Transforms.NormalizeMinMax("Features", "Lld"))
    .Append(mlContext.Transforms.Conversion.MapValueToKey("LabelKey", "Label", keyOrdinality: KeyOrdinality.ByValue)) // Score in Q1..Q4 order
    .Append(mlContext.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
    {
        LabelColumnName = "LabelKey", FeatureColumnName = "Features",
        NumberOfIterations = 50, MinimumExampleCountPerLeaf = 3, NumberOfThreads = 1, Seed = 1,
    }))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

// 3. Fit on the train + validation songs, evaluate on the held-out test songs.
var model = pipeline.Fit(train);
var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test), labelColumnName: "LabelKey");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"test clips: {test.GetRowCount()}, accuracy: {metrics.MicroAccuracy:F3}, macro accuracy: {metrics.MacroAccuracy:F3}"));

// 4. Save (HfSave refuses what would not load back identically), load, predict with a PredictionEngine.
mlContext.Model.HfSave(model, train.Schema, modelPath);
var reloaded = mlContext.Model.Load(modelPath, out _);
var testPaths = clips.Where(c => c.Split == Split.Test).Select(c => c.AudioPath!).ToArray();
File.WriteAllLines(Path.Combine(work, "test-paths.txt"), testPaths);
PrintPredictions(mlContext, reloaded, testPaths);

static void PrintPredictions(MLContext mlContext, ITransformer model, IEnumerable<string> paths)
{
    using var engine = mlContext.Model.CreatePredictionEngine<ClipInput, ClipPrediction>(model);
    foreach (var path in paths)
    {
        var p = engine.Predict(new ClipInput { Path = path });
        Console.WriteLine($"prediction {Path.GetFileName(path)} {p.PredictedLabel} " +
                          string.Join(" ", p.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
    }
}

/// <summary>A pipeline input row (MapValueToKey needs the Label column; it is ignored when predicting).</summary>
public sealed class ClipInput
{
    public string Path { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>What the pipeline adds: the predicted quadrant and one probability per class.</summary>
public sealed class ClipPrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}
