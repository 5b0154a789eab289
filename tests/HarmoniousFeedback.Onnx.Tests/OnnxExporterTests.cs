using System.Text.Json;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using HarmoniousFeedback.Pipeline.Transforms;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests;

/// <summary>Exporting fitted pipelines and saved model files (what <c>hfb model export</c> does).</summary>
public class OnnxExporterTests
{
    /// <summary>Sequences of 3–8 steps × 5 features; class k has a bump on feature k in a random step, plus noise.</summary>
    internal static DataTable Toy(int n, int seed)
    {
        var rng = new NnRng(seed);
        var seqs = new FeatureMatrix[n];
        var labels = new string[n];
        var groups = new string[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % 3, t = 3 + rng.Next(6);
            var d = new float[t * 5];
            for (int j = 0; j < d.Length; j++) d[j] = (float)(0.3 * rng.NextDouble());
            d[rng.Next(t) * 5 + k] += 1f;
            seqs[i] = new FeatureMatrix(d, t, 5, ["a", "b", "c", "d", "e"], Enumerable.Range(0, t).Select(s => 3.0 * s).ToArray());
            labels[i] = "C" + k;
            groups[i] = "song" + (i / 4);
        }
        return DataTable.Create(("Lld", seqs), ("Label", labels), ("Group", groups));
    }

    internal static string TempDir() => HarmoniousFeedback.Tests.TestTemp.Dir("hfb-onnx-test");

    private static readonly LstmClassifierOptions Fast = LstmClassifierOptions.Tuned with
    {
        Layers = 2,
        HiddenSize = 12,
        AttentionDim = 6,
        MaxEpochs = 3,
        Dropout = 0.2f,
        BatchSize = 16,
        EarlyStoppingPatience = null,
        ValidationFraction = 0,
    };

    /// <summary>Min–max normalisation → LSTM(+AM) classifier, fitted and saved with <c>ctx.Model.Save</c>.</summary>
    internal static (string Path, DataTable Train) SavedLstmPipeline(bool attention = true)
    {
        var ctx = new HfContext(seed: 3);
        var train = Toy(48, 1);
        var chain = ctx.Transforms.NormalizeMinMax("LldNorm", "Lld")
            .Append(ctx.MulticlassClassification.Trainers.Lstm("LldNorm", options: Fast with { Attention = attention }));
        var model = chain.Fit(train);
        var path = Path.Combine(TempDir(), "lstm.hfbmodel");
        ctx.Model.Save(model, train.Schema, path);
        return (path, train);
    }

    /// <summary>Zero-pads [T_i × F] sequences into x [B, max T, F] with their lengths (the trainer's batch layout).</summary>
    internal static (Tensor X, int[] Lengths) Pad(IReadOnlyList<FeatureMatrix> seqs)
    {
        int f = seqs[0].Columns, t = seqs.Max(s => s.Rows);
        var x = Tensor.Zeros(seqs.Count, t, f);
        for (int b = 0; b < seqs.Count; b++) seqs[b].Data.AsSpan().CopyTo(x.Data.Slice(b * t * f));
        return (x, seqs.Select(s => s.Rows).ToArray());
    }

    [Fact]
    public void Saved_lstm_pipeline_exports_and_onnx_runtime_gives_its_scores()
    {
        var (path, _) = SavedLstmPipeline();
        var loaded = ModelFile.Load(path, out _);
        var exported = OnnxExporter.ExportFile(path);
        Assert.Equal(["probabilities", "logits", "attention_weights"], exported.Graph.Outputs.Select(o => o.Name));

        var test = Toy(7, 2);
        var scores = loaded.Transform(test).Column<float[]>("Score").ToArray();
        var normalized = ((TransformerChain<MulticlassPredictionTransformer>)loaded).Transformers[0].Transform(test).Column<FeatureMatrix>("LldNorm").ToArray();
        var (x, lengths) = Pad(normalized);
        using var ort = new Ort(exported);
        var probabilities = ort.Run(("x", x), ("lengths", lengths))["probabilities"];
        var expected = Tensor.FromArray(scores.SelectMany(s => s).ToArray(), scores.Length, scores[0].Length);
        Close.Assert(expected, probabilities, "pipeline Score vs ONNX probabilities");
    }

    [Fact]
    public void Exported_pipeline_records_class_names_and_what_the_graph_leaves_out()
    {
        var (path, train) = SavedLstmPipeline(attention: false);
        var exported = OnnxExporter.ExportFile(path);
        var classes = exported.Graph.Metadata.Single(kv => kv.Key == "classes").Value;
        Assert.Equal(train.Column<string>("Label").ToArray().Distinct().Order(StringComparer.Ordinal), JsonSerializer.Deserialize<string[]>(classes)!);
        Assert.Contains(exported.Notes, n => n.Contains(nameof(MinMaxNormalizeTransformer), StringComparison.Ordinal));
        Assert.Contains(exported.Notes, n => n.Contains("'LldNorm'", StringComparison.Ordinal));
        Assert.Equal(["probabilities", "logits"], exported.Graph.Outputs.Select(o => o.Name));
    }

    [Theory]
    [InlineData("svm", "SvmClassifier")]
    [InlineData("lda", "LinearDiscriminantAnalysis")]
    [InlineData("logreg", "LogisticRegression")]
    public void Classical_model_is_refused_naming_the_model_and_the_alternative(string kind, string typeName)
    {
        var ctx = new HfContext(seed: 1);
        var rows = Enumerable.Range(0, 30).Select(i => new[] { (float)(i % 3), (float)(i % 5) * 0.1f + i % 3 }).ToArray();
        var train = DataTable.Create(("Features", rows), ("Label", Enumerable.Range(0, 30).Select(i => "C" + i % 3).ToArray()));
        var trainers = ctx.MulticlassClassification.Trainers;
        var model = (kind switch { "svm" => trainers.Svm(), "lda" => trainers.Lda(), _ => trainers.LogisticRegression() }).Fit(train);
        var path = Path.Combine(TempDir(), "classical.hfbmodel");
        ctx.Model.Save(model, train.Schema, path);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ExportFile(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"classical {typeName}", e.Message);
        Assert.Contains("no ONNX export", e.Message);
        Assert.Contains("ML.NET", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Pipeline_without_a_predictor_is_refused()
    {
        var ctx = new HfContext(seed: 1);
        var train = Toy(6, 1);
        var norm = ctx.Transforms.NormalizeMinMax("LldNorm", "Lld").Fit(train);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(norm));
        Assert.Contains("MinMaxNormalizeTransformer", e.Message);
        Assert.Contains("no network to export", e.Message);
    }

    [Fact]
    public void Missing_or_foreign_model_file_is_a_checkpoint_error()
    {
        var dir = TempDir();
        Assert.Throws<CheckpointException>(() => OnnxExporter.ExportFile(Path.Combine(dir, "absent.hfbmodel")));
        var foreign = Path.Combine(dir, "foreign.onnx");
        File.WriteAllBytes(foreign, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44]);
        var e = Assert.Throws<CheckpointException>(() => OnnxExporter.ExportFile(foreign));
        Assert.Contains("not a HarmoniousFeedback model file", e.Message);
    }

    [Fact]
    public void A_training_checkpoint_of_another_kind_is_refused_with_what_can_be_exported()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "fusion.ckpt");
        Checkpoint.Capture(new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1), null, 0, 0, metadata: new Dictionary<string, string> { ["kind"] = "fusion" }).Save(path);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ExportFile(path));
        Assert.Contains("a training checkpoint of kind 'fusion'", e.Message);
        Assert.Contains("Exportable: HFN / HFN–HFI checkpoints", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_checkpoint_claiming_to_be_hfn_without_its_options_is_a_checkpoint_error()
    {
        var path = Path.Combine(TempDir(), "hfn.ckpt");
        Checkpoint.Capture(new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1), null, 0, 0, metadata: new Dictionary<string, string> { ["kind"] = "hfn" }).Save(path);
        var e = Assert.Throws<CheckpointException>(() => OnnxExporter.ExportFile(path));
        Assert.Contains("not an HFN model", e.Message);
    }

    [Fact]
    public void Export_is_deterministic_byte_for_byte()
    {
        var net = new LstmEmotionClassifier(50, 8, 2, 4, true, 4, 0.1f, 1);
        Assert.Equal(OnnxExporter.Export(net).Bytes, OnnxExporter.Export(net).Bytes);
    }

    [Fact]
    public void Saved_file_loads_in_onnx_runtime_with_two_intra_op_threads()
    {
        var net = new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1);
        net.Eval();
        var path = Path.Combine(TempDir(), "net.onnx");
        OnnxExporter.Export(net).Save(path);
        using var ort = new Ort(File.ReadAllBytes(path), threads: 2);
        var x = Tensor.Randn(new NnRng(1), 2, 6, 50);
        Tensor logits;
        using (Tensor.NoGrad()) logits = net.Forward(x, [6, 6]).Logits;
        Close.Assert(logits, ort.Run(("x", x), ("lengths", new[] { 6, 6 }))["logits"], "logits from the saved file");
    }
}
