namespace HarmoniousFeedback.Nn.Export;

/// <summary>Element types the exporter writes; the values are ONNX's <c>TensorProto.DataType</c> codes.</summary>
public enum OnnxElementType
{
    /// <summary>float32 (<c>TensorProto.FLOAT</c> = 1): every activation and weight of the engine.</summary>
    Float = 1,
    /// <summary>int32 (<c>TensorProto.INT32</c> = 6): sequence lengths (ONNX <c>LSTM</c>/<c>GRU</c> take int32 <c>sequence_lens</c>).</summary>
    Int32 = 6,
    /// <summary>int64 (<c>TensorProto.INT64</c> = 7): shapes, axes, indices (<c>Reshape</c>, <c>Gather</c>, <c>Embedding</c>).</summary>
    Int64 = 7,
    /// <summary>bool (<c>TensorProto.BOOL</c> = 9): masks inside the graph.</summary>
    Bool = 9,
}
