using HarmoniousFeedback.Nn;
using Microsoft.ML.OnnxRuntime;

namespace HarmoniousFeedback.Onnx.Tests;

/// <summary>Runs exported models in ONNX Runtime (CPU provider, one intra-op thread, all graph optimisations on — as deployed).</summary>
internal sealed class Ort : IDisposable
{
    private readonly InferenceSession _session;

    public Ort(byte[] model, int threads = 1)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(model, options);
    }

    public Ort(OnnxExportResult exported, int threads = 1) : this(exported.Bytes, threads) { }

    public IReadOnlyList<string> InputNames => _session.InputNames;
    public IReadOnlyList<string> OutputNames => _session.OutputNames;
    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _session.InputMetadata;
    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _session.OutputMetadata;

    /// <summary>Runs the model; inputs are engine tensors (float32) or int[] (int32 [B] lengths) or long[] with a shape; returns every output as a tensor (int32 outputs converted to float).</summary>
    public Dictionary<string, Tensor> Run(params (string Name, object Value)[] inputs)
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var (_, v) in inputs)
                values.Add(v switch
                {
                    Tensor t => OrtValue.CreateTensorValueFromMemory(t.ToArray(), t.Shape.Select(d => (long)d).ToArray()),
                    int[] lengths => OrtValue.CreateTensorValueFromMemory(lengths, [lengths.Length]),
                    (long[] data, long[] shape) => OrtValue.CreateTensorValueFromMemory(data, shape),
                    _ => throw new ArgumentException($"unsupported input {v.GetType().Name}"),
                });
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, _session.OutputNames);
            var result = new Dictionary<string, Tensor>();
            for (int i = 0; i < outputs.Count; i++)
            {
                var info = outputs[i].GetTensorTypeAndShape();
                var shape = info.Shape.Select(d => (int)d).ToArray();
                result[_session.OutputNames[i]] = info.ElementDataType switch
                {
                    // integer outputs (e.g. frame counts) as float: exact below 2^24
                    Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32 => Tensor.FromArray(outputs[i].GetTensorDataAsSpan<int>().ToArray().Select(v => (float)v).ToArray(), shape),
                    _ => Tensor.FromArray(outputs[i].GetTensorDataAsSpan<float>(), shape),
                };
            }
            return result;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();
}
