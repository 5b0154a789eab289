using System.Diagnostics;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Onnx.Tests.Models.TeachingFeedback;
using HarmoniousFeedback.Onnx.Tests.Nn;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests;

/// <summary>A test that needs Debian's <c>python3-onnx</c> (the reference checker); skipped visibly without it.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (OnnxCheckerTests.Python() is null) Skip = "needs the ONNX reference checker: /usr/bin/python3 with the onnx module (apt-get install python3-onnx)";
    }
}

/// <summary>
/// Exported files pass the reference implementation's <c>onnx.checker.check_model(full_check=True)</c> (structure, op
/// schemas at the declared opset, and strict shape inference). Debian 12's python3-onnx is ONNX 1.12: IR 8, opset 17 —
/// the exporter's default.
/// </summary>
public class OnnxCheckerTests
{
    private static readonly Lazy<string?> s_python = new(() =>
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return null;
        var (code, _) = RunPython(python, "import onnx");
        return code == 0 ? python : null;
    });

    internal static string? Python() => s_python.Value;

    private static (int Code, string Output) RunPython(string python, string script, params string[] args)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error.Result);
    }

    private static void Check(OnnxExportResult exported, string what)
    {
        var path = Path.Combine(OnnxExporterTests.TempDir(), "model.onnx");
        exported.Save(path);
        var (code, output) = RunPython(Python()!, "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')", path);
        Assert.True(code == 0 && output.Trim() == "ok", $"{what}: onnx.checker rejected the file: {output}");
    }

    [OnnxCheckerFact]
    public void Lstm_classifier_passes_the_reference_checker()
    {
        Check(OnnxExporter.Export(new LstmEmotionClassifier(50, 16, 2, 4, true, 8, 0.1f, 1)), "LSTM+AM");
        Check(OnnxExporter.Export(new LstmEmotionClassifier(50, 16, 1, 4, false, 8, 0.1f, 1)), "LSTM without attention");
    }

    [OnnxCheckerFact]
    public void Cnn_encoder_passes_the_reference_checker()
        => Check(OnnxExporter.Export(LayerExportTests.HfnEncoder(), new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("logmel", "batch", 1, 128, "frames")] }), "CNN encoder");

    [OnnxCheckerFact]
    public void Hfn_hfi_and_its_ablations_pass_the_reference_checker()
    {
        foreach (var variant in new[] { "full", "no-attention", "no-factors", "no-reference", "no-hfi", "bare-hfn" })
        {
            var (options, k) = HarmoniousFeedbackNetworkExportTests.Variant(variant);
            Check(OnnxExporter.Export(new HarmoniousFeedbackNetwork(options, k, seed: 1, HarmoniousFeedbackNetworkExportTests.NoteFeatures(variant))), $"HFN {variant}");
        }
    }

    [OnnxCheckerFact]
    public void Attention_gru_and_norm_layers_pass_the_reference_checker()
    {
        Check(OnnxExporter.Export(new MultiheadAttention(8, 2), new OnnxExportOptions
        {
            Inputs = [OnnxValueInfo.Float("q", "b", "t", 8), OnnxValueInfo.Float("k", "b", "t", 8), OnnxValueInfo.Float("v", "b", "t", 8), OnnxValueInfo.Float("kpm", "b", "t")],
        }), "MultiheadAttention");
        Check(OnnxExporter.Export(new GRU(5, 6, 2, batchFirst: true, bidirectional: true), new OnnxExportOptions
        {
            Inputs = [OnnxValueInfo.Float("x", "b", "t", 5), null, OnnxValueInfo.Int32("lengths", "b")],
        }), "GRU");
        Check(OnnxExporter.Export(new Sequential(new LayerNorm(6), new GELU(), new Linear(6, 3), new LogSoftmax()), new OnnxExportOptions
        {
            Inputs = [OnnxValueInfo.Float("x", "b", "t", 6)],
        }), "LayerNorm/GELU/Linear");
        Check(OnnxExporter.Export(new GCNLayer(4, 3), new OnnxExportOptions
        {
            Inputs = [OnnxValueInfo.Float("x", "b", "n", 4), OnnxValueInfo.Float("adjacency", "n", "n")],
        }), "GCN");
    }
}
