using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Export;
using Onnx;
using Xunit;

namespace HarmoniousFeedback.Onnx.Tests;

/// <summary>The protobuf written for a graph, read back with the same official <c>onnx.proto3</c> messages.</summary>
public class OnnxProtoWriterTests
{
    private static ModelProto Parse(OnnxExportResult r) => ModelProto.Parser.ParseFrom(r.Bytes);

    [Fact]
    public void Model_header_has_the_opset_its_ir_version_and_the_producer()
    {
        var p = Parse(OnnxExporter.Export(new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1)));
        Assert.Equal(8, p.IrVersion);              // opset 17 came with ONNX 1.12, IR version 8 (onnx/helper.py VERSION_TABLE)
        Assert.Equal("", Assert.Single(p.OpsetImport).Domain);
        Assert.Equal(17, p.OpsetImport[0].Version);
        Assert.Equal("HarmoniousFeedback", p.ProducerName);
        Assert.Contains(p.MetadataProps, kv => kv.Key == "source_type" && kv.Value == typeof(LstmEmotionClassifier).FullName);
    }

    [Theory]
    [InlineData(17, 8)]
    [InlineData(18, 8)]
    [InlineData(19, 9)]
    [InlineData(20, 9)]
    [InlineData(21, 10)]
    [InlineData(22, 10)]
    [InlineData(23, 11)]
    public void Ir_version_is_the_one_that_introduced_the_opset_and_onnx_runtime_loads_it(int opset, int ir)
    {
        var net = new LstmEmotionClassifier(50, 8, 2, 4, true, 4, 0.1f, 1);
        net.Eval();
        var r = OnnxExporter.Export(net, new OnnxExportOptions { Opset = opset });
        Assert.Equal(ir, Parse(r).IrVersion);
        using var ort = new Ort(r);
        var x = Tensor.Randn(new Random(opset), 3, 4, 50);
        int[] lengths = [4, 2, 1];
        Tensor logits;
        using (Tensor.NoGrad()) logits = net.Forward(x, lengths).Logits;
        Close.Assert(logits, ort.Run(("x", x), ("lengths", lengths))["logits"], $"opset {opset}");
    }

    [Fact]
    public void Dynamic_axes_are_dim_params_and_fixed_axes_dim_values()
    {
        var p = Parse(OnnxExporter.Export(new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1)));
        var x = p.Graph.Input.Single(i => i.Name == "x").Type.TensorType;
        Assert.Equal((int)TensorProto.Types.DataType.Float, x.ElemType);
        Assert.Equal(["batch", "time", ""], x.Shape.Dim.Select(d => d.DimParam));
        Assert.Equal(50, x.Shape.Dim[2].DimValue);
        var lengths = p.Graph.Input.Single(i => i.Name == "lengths").Type.TensorType;
        Assert.Equal((int)TensorProto.Types.DataType.Int32, lengths.ElemType);
        var logits = p.Graph.Output.Single(o => o.Name == "logits").Type.TensorType;
        Assert.Equal("batch", logits.Shape.Dim[0].DimParam);
        Assert.Equal(4, logits.Shape.Dim[1].DimValue);
    }

    [Fact]
    public void Onnx_runtime_reports_the_declared_names_types_and_dynamic_axes()
    {
        using var ort = new Ort(OnnxExporter.Export(new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1)));
        Assert.Equal(["x", "lengths"], ort.InputNames);
        Assert.Equal(["logits", "attention_weights"], ort.OutputNames);
        var x = ort.InputMetadata["x"];
        Assert.Equal(typeof(float), x.ElementType);
        Assert.Equal([-1, -1, 50], x.Dimensions);
        Assert.Equal(["batch", "time", ""], x.SymbolicDimensions);
        Assert.Equal(typeof(int), ort.InputMetadata["lengths"].ElementType);
        Assert.Equal(["batch", ""], ort.OutputMetadata["logits"].SymbolicDimensions);
        Assert.Equal([-1, 4], ort.OutputMetadata["logits"].Dimensions);
    }

    [Fact]
    public void Initializers_hold_the_state_dict_values_as_little_endian_raw_data()
    {
        var fc = new Linear(3, 2, rng: new Random(1));
        var p = Parse(OnnxExporter.Export(fc, new OnnxExportOptions { Inputs = [OnnxValueInfo.Float("x", "batch", 3)] }));
        var w = p.Graph.Initializer.Single(t => t.Name == "weight");
        Assert.Equal([2L, 3L], w.Dims);
        var values = new float[6];
        for (int i = 0; i < 6; i++) values[i] = BitConverter.ToSingle(w.RawData.Span.Slice(4 * i, 4));
        Assert.Equal(fc.Weight.ToArray(), values);
        var gemm = Assert.Single(p.Graph.Node, n => n.OpType == "Gemm");
        Assert.Equal(1, gemm.Attribute.Single(a => a.Name == "transB").I);
    }

    [Fact]
    public void Opset_outside_the_supported_range_is_reported_with_the_range()
    {
        var e = Assert.Throws<OptionsValidationException>(() => OnnxExporter.Export(new LstmEmotionClassifier(50, 8, 1, 4, true, 4, 0.1f, 1), new OnnxExportOptions { Opset = 13 }));
        Assert.Contains("Opset = 13 must be in [17, 23]", e.Message);
    }
}
