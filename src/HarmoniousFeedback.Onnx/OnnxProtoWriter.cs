using System.Buffers.Binary;
using Google.Protobuf;
using HarmoniousFeedback.Nn.Export;
using Onnx;

namespace HarmoniousFeedback.Onnx;

/// <summary>
/// Converts the core library's <see cref="OnnxGraph"/> to the official ONNX protobuf messages (generated at build time
/// from onnx/onnx's <c>onnx.proto3</c>) and serialises them. Tensors are written as little-endian <c>raw_data</c>.
/// </summary>
internal static class OnnxProtoWriter
{
    public const string ProducerName = "HarmoniousFeedback";

    public static ModelProto ToProto(OnnxGraph graph)
    {
        var model = new ModelProto
        {
            IrVersion = graph.IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "",
            Graph = ToProtoGraph(graph),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = graph.Opset });
        if (graph.DocString is not null) model.DocString = graph.DocString;
        foreach (var (k, v) in graph.Metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    public static byte[] Serialize(OnnxGraph graph) => ToProto(graph).ToByteArray();

    private static GraphProto ToProtoGraph(OnnxGraph graph)
    {
        var g = new GraphProto { Name = graph.Name };
        foreach (var i in graph.Inputs) g.Input.Add(ValueInfo(i));
        foreach (var o in graph.Outputs) g.Output.Add(ValueInfo(o));
        foreach (var t in graph.Initializers) g.Initializer.Add(Tensor(t));
        foreach (var n in graph.Nodes)
        {
            var node = new NodeProto { OpType = n.OpType, Name = n.Name, Domain = n.Domain };
            node.Input.AddRange(n.Inputs);
            node.Output.AddRange(n.Outputs);
            foreach (var a in n.Attributes) node.Attribute.Add(Attribute(a));
            g.Node.Add(node);
        }
        return g;
    }

    private static ValueInfoProto ValueInfo(OnnxValueInfo v)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)v.ElementType };
        if (v.Shape is not null)
        {
            var shape = new TensorShapeProto();
            foreach (var d in v.Shape)
            {
                var dim = new TensorShapeProto.Types.Dimension();
                if (d.Value is int value) dim.DimValue = value;
                else if (d.Param is string param) dim.DimParam = param;
                shape.Dim.Add(dim);
            }
            tensor.Shape = shape;
        }
        return new ValueInfoProto { Name = v.Name, Type = new TypeProto { TensorType = tensor } };
    }

    private static TensorProto Tensor(OnnxTensor t)
    {
        var p = new TensorProto { Name = t.Name, DataType = (int)t.ElementType };
        p.Dims.AddRange(t.Dims);
        byte[] raw;
        if (t.FloatData is { } f)
        {
            raw = new byte[f.Length * 4];
            for (int i = 0; i < f.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), f[i]);
        }
        else if (t.Int64Data is { } l)
        {
            raw = new byte[l.Length * 8];
            for (int i = 0; i < l.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), l[i]);
        }
        else
        {
            var n = t.Int32Data!;
            raw = new byte[n.Length * 4];
            for (int i = 0; i < n.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(i * 4), n[i]);
        }
        p.RawData = ByteString.CopyFrom(raw);
        return p;
    }

    private static AttributeProto Attribute(OnnxAttribute a)
    {
        var p = new AttributeProto { Name = a.Name, Type = (AttributeProto.Types.AttributeType)(int)a.Kind };
        switch (a.Kind)
        {
            case OnnxAttributeKind.Int: p.I = a.Int; break;
            case OnnxAttributeKind.Float: p.F = a.Float; break;
            case OnnxAttributeKind.String: p.S = ByteString.CopyFromUtf8(a.String!); break;
            case OnnxAttributeKind.Ints: p.Ints.AddRange(a.Ints!); break;
            case OnnxAttributeKind.Floats: p.Floats.AddRange(a.Floats!); break;
            case OnnxAttributeKind.Strings: p.Strings.AddRange(a.Strings!.Select(ByteString.CopyFromUtf8)); break;
            case OnnxAttributeKind.Tensor: p.T = Tensor(a.Tensor!); break;
        }
        return p;
    }
}
