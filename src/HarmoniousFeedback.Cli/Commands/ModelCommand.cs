using System.CommandLine;
using HarmoniousFeedback.Nn.Export;
using HarmoniousFeedback.Onnx;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb model list [--markdown]</c>: every registered model type with its hyperparameters, and every feature view
/// (from the registries, so what it prints is what specs and <c>hfb baseline</c> accept; <c>--markdown</c> prints
/// docs/models.md). <c>hfb model export MODEL --format onnx --out FILE.onnx [--opset 17]</c>: writes the network of a saved toolkit model
/// (<c>ctx.Model.Save</c>, e.g. an LSTM(+AM) classifier or HFN pipeline, or an HFN / HFN–HFI checkpoint from
/// <c>hfb feedback train</c>) as an ONNX file for ONNX Runtime or ML.NET's
/// <c>ApplyOnnxModel</c>, and prints its inputs, outputs and what the graph leaves out (feature extraction and
/// normalisation steps). A model without an exportable network (a classical SVM, LDA, logistic regression) is a
/// one-line error with exit code 2 that says so and names the alternative.
/// </summary>
public static class ModelCommand
{
    public static readonly IReadOnlyList<string> Formats = ["onnx"];

    public static Command Create()
    {
        var model = new Command("model", "Model types (list) and saved models (export to ONNX)");
        model.Add(CreateList());
        model.Add(CreateExport());
        return model;
    }

    private static Command CreateList()
    {
        var markdown = new Option<bool>("--markdown") { Description = "print the registry as docs/models.md" };
        var cmd = new Command("list", "List the registered model types, their hyperparameters and the feature views") { markdown };
        cmd.SetAction(p => CliErrors.Run(() =>
        {
            Console.Write(p.GetValue(markdown)
                ? RegistryDocs.Markdown(ModelRegistry.Default, FeatureViewRegistry.Default)
                : RegistryDocs.Text(ModelRegistry.Default, FeatureViewRegistry.Default));
            return 0;
        }));
        return cmd;
    }

    private static Command CreateExport()
    {
        var file = new Argument<string>("model") { Description = "A saved toolkit model file (ctx.Model.Save) or an HFN / HFN–HFI checkpoint (hfb feedback train)" };
        var format = new Option<string>("--format") { DefaultValueFactory = _ => "onnx", Description = "Export format: onnx" };
        var output = new Option<string>("--out") { Description = "File to write (e.g. model.onnx)", Required = true };
        var opset = new Option<int>("--opset")
        {
            DefaultValueFactory = _ => 17,
            Description = $"ONNX opset ({OnnxGraph.MinOpset}–{OnnxGraph.MaxOpset}); 17 loads in the most runtimes",
        };
        var cmd = new Command("export", "Export the network of a saved model to ONNX (dynamic batch and time axes)") { file, format, output, opset };
        cmd.SetAction(pr => CliErrors.Run(() => Export(pr.GetValue(file)!, pr.GetValue(format)!, pr.GetValue(output)!, pr.GetValue(opset))));
        return cmd;
    }

    internal static int Export(string modelPath, string format, string outPath, int opset)
    {
        var problems = new List<string>();
        if (!Formats.Contains(format.Trim().ToLowerInvariant())) problems.Add($"--format = \"{format}\" must be one of {string.Join(", ", Formats)}");
        if (opset < OnnxGraph.MinOpset || opset > OnnxGraph.MaxOpset) problems.Add($"--opset = {opset} must be in [{OnnxGraph.MinOpset}, {OnnxGraph.MaxOpset}]");
        if (problems.Count > 0) throw new OptionsValidationException("model export arguments", problems);

        var result = OnnxExporter.ExportFile(modelPath, new OnnxExportOptions { Opset = opset });
        result.Save(outPath);
        Console.WriteLine($"wrote {outPath}: {result.Describe()}");
        return 0;
    }
}
