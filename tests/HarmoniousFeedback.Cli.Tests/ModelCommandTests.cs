using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Onnx;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using HarmoniousFeedback.Pipeline.Transforms;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class ModelCommandTests
{
    /// <summary>A min–max → LSTM(+AM) pipeline fitted for 2 epochs on 24 toy sequences [3–6 × 5] and saved with ctx.Model.Save.</summary>
    private static string SavedLstmModel(string dir)
    {
        var rng = new Random(1);
        var seqs = new FeatureMatrix[24];
        var labels = new string[24];
        for (int i = 0; i < seqs.Length; i++)
        {
            int t = 3 + rng.Next(4);
            var d = Enumerable.Range(0, t * 5).Select(_ => (float)rng.NextDouble()).ToArray();
            seqs[i] = new FeatureMatrix(d, t, 5, ["a", "b", "c", "d", "e"], Enumerable.Range(0, t).Select(s => 3.0 * s).ToArray());
            labels[i] = "Q" + (1 + i % 4);
        }
        var train = DataTable.Create(("Lld", seqs), ("Label", labels));
        var ctx = new HfContext(seed: 2);
        var options = LstmClassifierOptions.Tuned with { HiddenSize = 8, AttentionDim = 4, MaxEpochs = 2, BatchSize = 8, EarlyStoppingPatience = null, ValidationFraction = 0 };
        var model = ctx.Transforms.NormalizeMinMax("LldNorm", "Lld").Append(ctx.MulticlassClassification.Trainers.Lstm("LldNorm", options: options)).Fit(train);
        var path = Path.Combine(dir, "lstm.hfbmodel");
        ctx.Model.Save(model, train.Schema, path);
        return path;
    }

    [Fact]
    public void Export_writes_the_onnx_file_and_prints_its_signature_and_what_it_leaves_out()
    {
        var dir = Hfb.TempDir();
        var model = SavedLstmModel(dir);
        var onnx = Path.Combine(dir, "out", "lstm.onnx");
        var r = Hfb.Run("model", "export", model, "--format", "onnx", "--out", onnx);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("opset 17 (IR version 8)", r.StdOut);
        Assert.Contains("input  x [batch, time, 5] float", r.StdOut);
        Assert.Contains("input  lengths [batch] int32", r.StdOut);
        Assert.Contains("output probabilities [batch, 4] float", r.StdOut);
        Assert.Contains("MinMaxNormalizeTransformer", r.StdOut);
        Assert.Equal(OnnxExporter.ExportFile(model).Bytes, File.ReadAllBytes(onnx));
    }

    [Fact]
    public void Export_at_another_opset_writes_that_opset()
    {
        var dir = Hfb.TempDir();
        var r = Hfb.Run("model", "export", SavedLstmModel(dir), "--out", Path.Combine(dir, "m.onnx"), "--opset", "21");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("opset 21 (IR version 10)", r.StdOut);
    }

    [Fact]
    public void Svm_model_fails_in_one_line_saying_it_cannot_be_exported()
    {
        var dir = Hfb.TempDir();
        var train = DataTable.Create(
            ("Features", Enumerable.Range(0, 20).Select(i => new[] { (float)(i % 2), (float)(i % 3) }).ToArray()),
            ("Label", Enumerable.Range(0, 20).Select(i => "C" + i % 2).ToArray()));
        var ctx = new HfContext(seed: 1);
        var path = Path.Combine(dir, "svm.hfbmodel");
        ctx.Model.Save(ctx.MulticlassClassification.Trainers.Svm().Fit(train), train.Schema, path);
        var onnx = Path.Combine(dir, "svm.onnx");
        var r = Hfb.Run("model", "export", path, "--format", "onnx", "--out", onnx);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.StdErr);
        Assert.Single(r.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Contains("classical SvmClassifier", r.StdErr);
        Assert.Contains("no ONNX export", r.StdErr);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void Export_of_a_feedback_checkpoint_writes_the_hfn_hfi_graph()
    {
        var dir = Hfb.TempDir();
        var options = new HarmoniousFeedbackNetworkOptions { NMels = 16, Channels = [4, 8], EmotionEmbeddingDim = 2, FactorHidden = 4, FrameHidden = 4 };
        var path = Path.Combine(dir, "hfn.ckpt");
        new HarmoniousFeedbackModel(new HarmoniousFeedbackNetwork(options, 8, seed: 1), 1).Save(path, new Dictionary<string, string> { ["features.sampleRate"] = "16000" });
        var onnx = Path.Combine(dir, "hfn.onnx");
        var r = Hfb.Run("model", "export", path, "--format", "onnx", "--out", onnx);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("input  student [batch, 1, 16, time] float", r.StdOut);
        Assert.Contains("input  reference [batch, 1, 16, time] float", r.StdOut);
        Assert.Contains("input  alignment [batch, 8, time] float", r.StdOut);
        Assert.Contains("output issue_probabilities [batch, 7] float", r.StdOut);
        Assert.Contains("output attention [batch, 1, 16, time] float", r.StdOut);
        Assert.Equal(OnnxExporter.ExportFile(path).Bytes, File.ReadAllBytes(onnx));
    }

    [Fact]
    public void Unknown_format_and_opset_are_reported_together()
    {
        var dir = Hfb.TempDir();
        var r = Hfb.Run("model", "export", Path.Combine(dir, "any.hfbmodel"), "--format", "pmml", "--opset", "9", "--out", Path.Combine(dir, "x"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--format = \"pmml\" must be one of onnx", r.StdErr);
        Assert.Contains("--opset = 9 must be in [17, 23]", r.StdErr);
    }

    [Fact]
    public void Missing_model_file_fails_naming_it()
    {
        var dir = Hfb.TempDir();
        var missing = Path.Combine(dir, "nope.hfbmodel");
        var r = Hfb.Run("model", "export", missing, "--out", Path.Combine(dir, "x.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{missing}: model file not found", r.StdErr);
    }
}
