using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.MLNet.Data;
using HarmoniousFeedback.MLNet.Transforms;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;
using ITransformer = Microsoft.ML.ITransformer;
using MlEstimator = Microsoft.ML.IEstimator<Microsoft.ML.ITransformer>;

namespace HarmoniousFeedback.MLNet.Tests.Transforms;

public class HfPipelineTests(AudioFixture audio) : IClassFixture<AudioFixture>
{
    /// <summary>The toolkit's LLD + ML.NET's normaliser, concatenation, key mapping and a trainer in one chain.</summary>
    private static MlEstimator Pipeline(MLContext ml, bool lightGbm) => ml.Transforms.HfLoadAudio("Audio", "Path")
        .Append(ml.Transforms.HfPooledLld("Lld", "Audio"))
        .AppendCacheCheckpoint(ml)
        .Append(ml.Transforms.NormalizeMinMax("LldNorm", "Lld"))
        .Append(ml.Transforms.Concatenate("Features", "LldNorm"))
        .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label"))
        .Append<ITransformer>(lightGbm
            ? ml.MulticlassClassification.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = "LabelKey", FeatureColumnName = "Features", NumberOfIterations = 20, MinimumExampleCountPerLeaf = 2, NumberOfThreads = 1, Seed = 1,
            })
            : ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new Microsoft.ML.Trainers.SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "LabelKey", FeatureColumnName = "Features", NumberOfThreads = 1, MaximumNumberOfIterations = 50,
            }))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [Fact]
    public void HfMfcc_gives_the_toolkits_mfcc_flattened_row_major()
    {
        var ml = new MLContext(seed: 1);
        var options = new MfccOptions { NMfcc = 13 };
        var est = ml.Transforms.HfLoadAudio("Audio", "Path").Append(ml.Transforms.HfMfcc("Mfcc", "Audio", options));
        var view = est.Fit(ml.Data.LoadFromDataTable(audio.Table())).Transform(ml.Data.LoadFromDataTable(audio.Table()));
        var rows = view.GetColumn<float[]>("Mfcc").ToArray();
        for (int i = 0; i < 3; i++)
        {
            var expected = new Mfcc(options).Compute(AudioFile.Read(audio.Paths[i], mono: true));
            Assert.Equal(expected.Data, rows[i]); // same code path: bit-identical
        }
        Assert.Equal(13, ((HfMappingEstimator)ml.Transforms.HfMfcc("Mfcc", "Audio", options)).FeatureSize);
    }

    [Fact]
    public void HfPooledLld_equals_the_toolkit_pipelines_pooled_lld()
    {
        var ml = new MLContext(seed: 1);
        var table = audio.Table().SelectRows([0, 1, 2]);
        var view = ml.Transforms.HfLoadAudio("Audio", "Path").Append(ml.Transforms.HfPooledLld("Lld", "Audio"))
            .Fit(ml.Data.LoadFromDataTable(table)).Transform(ml.Data.LoadFromDataTable(table));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 100), view.Schema["Lld"].Type);
        var ctx = new HfContext(1);
        var toolkit = ctx.Transforms.LoadAudio("Audio", "Path").Append(ctx.Transforms.LldSegments("Seg", "Audio"))
            .Append(ctx.Transforms.PoolSequence("Lld", "Seg", SequencePooling.MeanStd));
        var expected = toolkit.Fit(table).Transform(table).Column<float[]>("Lld").ToArray();
        Assert.Equal(expected, view.GetColumn<float[]>("Lld").ToArray());
    }

    [Fact]
    public void Options_given_to_a_step_survive_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromDataTable(audio.Table().SelectRows([0]));
        var model = ml.Transforms.HfLoadAudio("Audio", "Path").Append(ml.Transforms.HfLogMel("LogMel", "Audio",
            new LogMelOptions { Mel = new MelSpectrogramOptions { NMels = 20, HopLength = 320, MelScale = MelScale.Slaney } })).Fit(data);
        var path = Path.Combine(audio.Directory, "logmel.zip");
        ml.Model.HfSave(model, data.Schema, path);
        var loaded = new MLContext(seed: 2).Model.HfLoad(path, out var schema);
        Assert.Equal(["Path", "Label"], schema.Select(c => c.Name));
        var a = model.Transform(data).GetColumn<float[]>("LogMel").Single();
        var b = loaded.Transform(data).GetColumn<float[]>("LogMel").Single();
        Assert.Equal(20 * (1 + 4 * 16000 / 320), b.Length); // 20 mels × 201 centred frames
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_step_names_the_column_and_types_when_its_input_is_wrong()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromDataTable(audio.Table());
        var e = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.HfMfcc("Mfcc", "Path").Fit(data));
        Assert.Contains("HfMfcc('Mfcc'): column 'Path' is String but Audio", e.Message);
        Assert.Contains("HfLoadAudio", e.Message);
        var missing = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.HfLoadAudio("Audio", "File").Fit(data));
        Assert.Contains("'File' not found", missing.Message);
        Assert.Throws<SchemaMismatchException>(() => Pipeline(ml, false).Fit(ml.Data.LoadFromDataTable(DataTable.Create(("Label", new[] { "a" })))));
    }

    [Fact]
    public void A_missing_audio_file_surfaces_the_toolkits_error_naming_the_file()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromDataTable(DataTable.Create(("Path", new[] { Path.Combine(audio.Directory, "no-such.wav") })));
        var view = ml.Transforms.HfLoadAudio("Audio", "Path").Append(ml.Transforms.HfMfcc("Mfcc", "Audio")).Fit(data).Transform(data);
        var e = Assert.ThrowsAny<Exception>(() => view.GetColumn<float[]>("Mfcc").ToArray());
        // ML.NET wraps exceptions raised inside a CustomMapping (InvalidOperationException); the toolkit's typed
        // exception, naming the file, is in the chain of inner exceptions.
        var chain = new List<Exception>();
        for (var x = e; x is not null; x = x.InnerException) chain.Add(x);
        var hf = Assert.Single(chain.OfType<HarmoniousFeedbackException>());
        Assert.Contains("no-such.wav", hf.Message);
    }

    [Fact]
    public void An_input_schema_with_audio_is_refused_by_HfSave_instead_of_being_dropped()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromDataTable(audio.Table().SelectRows([0]));
        var withAudio = ml.Transforms.HfLoadAudio("Audio", "Path").Fit(data).Transform(data);
        var model = ml.Transforms.HfPooledLld("Lld", "Audio").Fit(withAudio);
        var e = Assert.Throws<MlNetModelSaveException>(() => ml.Model.HfSave(model, withAudio.Schema, Path.Combine(audio.Directory, "never.zip")));
        Assert.Contains("input column 'Audio'", Assert.Single(e.Problems));
        Assert.False(File.Exists(Path.Combine(audio.Directory, "never.zip")));
    }

    [Fact]
    public void A_custom_mapping_without_contract_is_refused_by_HfSave_with_a_typed_error()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromDataTable(audio.Table().SelectRows([0]));
        var model = ml.Transforms.CustomMapping<PathRow, LengthRow>((s, d) => d.Length = s.Path.Length, contractName: null).Fit(data);
        var e = Assert.Throws<MlNetModelSaveException>(() => ml.Model.HfSave(model, data.Schema, Path.Combine(audio.Directory, "never2.zip")));
        Assert.Contains("cannot be saved", Assert.Single(e.Problems));
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class LengthRow
    {
        public float Length { get; set; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_chain_of_toolkit_and_ml_net_steps_fits_evaluates_and_predicts_identically_in_a_new_process(bool lightGbm)
    {
        var ml = new MLContext(seed: 1);
        var table = audio.Table();
        var data = ml.Data.LoadFromDataTable(table);
        var model = Pipeline(ml, lightGbm).Fit(data);
        var scored = model.Transform(data);
        var metrics = ml.MulticlassClassification.Evaluate(scored, labelColumnName: "LabelKey");
        // The two classes differ by an octave-scale pitch gap and tremolo rate: training accuracy must be perfect.
        Assert.Equal(1.0, metrics.MicroAccuracy);

        var modelPath = Path.Combine(audio.Directory, $"model-{lightGbm}.zip");
        ml.Model.HfSave(model, data.Schema, modelPath);
        var expected = Predict(ml, model, audio.Paths);

        var inputs = Path.Combine(audio.Directory, $"inputs-{lightGbm}.txt");
        File.WriteAllLines(inputs, audio.Paths);
        var output = Path.Combine(audio.Directory, $"predictions-{lightGbm}.tsv");
        FreshProcess.Start("predict", modelPath, inputs, output);
        Assert.Equal(expected, File.ReadAllLines(output));
    }

    /// <summary>PredictionEngine predictions, one "label\tscores" line per path (scores round-trip formatted).</summary>
    internal static string[] Predict(MLContext ml, ITransformer model, IEnumerable<string> paths)
    {
        using var engine = ml.Model.CreatePredictionEngine<ClipInput, ClipPrediction>(model);
        return paths.Select(p => engine.Predict(new ClipInput { Path = p })).Select(Format).ToArray();
    }

    internal static string Format(ClipPrediction p)
        => p.PredictedLabel + "\t" + string.Join(",", p.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
}

/// <summary>The pipeline's input row (the label is required by MapValueToKey's schema and ignored at prediction).</summary>
public sealed class ClipInput
{
    public string Path { get; set; } = "";
    public string Label { get; set; } = "";
}

public sealed class ClipPrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}
