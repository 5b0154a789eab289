using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests.Nn;

/// <summary>What the export IR refuses, and how it says so.</summary>
public class OnnxGraphBuilderTests
{
    /// <summary>A layer the exporter knows nothing about.</summary>
    private sealed class Custom : UnaryModule
    {
        public override Tensor Forward(Tensor x) => x * 2f;
    }

    [Fact]
    public void Module_without_an_export_is_named_by_its_path_and_type()
    {
        var net = new Sequential(new Linear(4, 4), new Sequential(new ReLU(), new Custom()));
        var e = Assert.Throws<OnnxExportException>(() => OnnxGraphBuilder.Export(net, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "batch", 4)] }));
        Assert.Contains("module '1.1' (Custom) has no ONNX export", e.Message);
        Assert.Contains("IOnnxExportable", e.Message);
    }

    [Fact]
    public void Plain_module_without_input_specifications_is_refused()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxGraphBuilder.Export(new Linear(4, 2), new OnnxExportOptions()));
        Assert.Contains("give OnnxExportOptions.Inputs", e.Message);
    }

    [Fact]
    public void Fixed_input_size_that_does_not_fit_the_layer_is_refused_before_running()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxGraphBuilder.Export(new Sequential(new Linear(4, 3), new Linear(5, 2)),
            new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "batch", 4)] }));
        Assert.Contains("Linear(5→2) at '1' needs size 5", e.Message);
        Assert.Contains("[batch, 3]", e.Message);
    }

    [Fact]
    public void Wrong_number_of_inputs_names_the_layer_signature()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxGraphBuilder.Export(new ReLU(),
            new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("a", 2), OnnxValueInfo.Float("b", 2)] }));
        Assert.Contains("ReLU(x) takes 1 inputs, got 2", e.Message);
    }

    [Fact]
    public void Wrong_number_of_output_names_is_refused()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxGraphBuilder.Export(new LSTM(3, 2),
            new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "t", "b", 3)], OutputNames = ["y"] }));
        Assert.Contains("LSTM has 3 outputs but 1 output names", e.Message);
    }

    [Fact]
    public void Invalid_options_are_all_reported_at_once()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new OnnxExportOptions
        {
            Opset = 30,
            Inputs = [OnnxValueInfo.Float("x", 2), new OnnxValueInfo("x", OnnxElementType.Float, null)],
            OutputNames = ["y", "y"],
        }.Validate());
        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("Opset = 30", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("input 'x' needs a shape", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("input name 'x' is used 2 times", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("output name 'y' is used 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void Module_used_twice_is_stored_under_each_of_its_paths()
    {
        var shared = new Linear(3, 3, rng: new Random(1));
        var g = OnnxGraphBuilder.Export(new Sequential(shared, new Tanh(), shared), new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "b", 3)] });
        // a module's initializer names carry its path; the same layer under two paths is stored twice (as torch.onnx does without deduplication)
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight"], g.Initializers.Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
