using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>A trained <see cref="MultimodalFusion"/> ensemble behind <see cref="IMultiInputModel"/>: averages the members' softmax outputs; saves options, standardisers and weights.</summary>
public sealed class MultimodalFusionModel : IMultiInputModel
{
    private readonly Lock _gate = new();

    public MultimodalFusionModel(IReadOnlyList<string> classes, IReadOnlyList<ModalitySpec> modalities, MultimodalFusionOptions options,
                                 IReadOnlyList<FeatureStandardizer> scalers, IReadOnlyList<int> seeds, IReadOnlyList<MultimodalFusion> members)
    {
        Classes = classes;
        Modalities = modalities;
        Options = options;
        Scalers = scalers;
        Seeds = seeds;
        Members = members;
    }

    public IReadOnlyList<string> Classes { get; }
    public IReadOnlyList<ModalitySpec> Modalities { get; }
    public MultimodalFusionOptions Options { get; }
    public IReadOnlyList<FeatureStandardizer> Scalers { get; }
    public IReadOnlyList<int> Seeds { get; }
    public IReadOnlyList<MultimodalFusion> Members { get; }
    public int InputCount => Modalities.Count;

    public void PredictProbabilitiesBatch(IReadOnlyList<IReadOnlyList<object>> inputs, float[][] probabilities)
    {
        if (inputs.Count != Modalities.Count) throw new ShapeMismatchException($"the fusion model reads {Modalities.Count} inputs, got {inputs.Count}");
        int n = probabilities.Length, c = Classes.Count;
        var x = inputs.Select(i => i.ToArray()).ToArray();
        var specs = Modalities.ToArray();
        var scalers = Scalers.ToArray();
        lock (_gate)
        {
            using var _ = Tensor.NoGrad();
            for (int s = 0; s < n; s += 256)
            {
                var rows = Enumerable.Range(s, Math.Min(256, n - s)).ToArray();
                var batch = MultimodalFusionTrainer.Inputs(x, rows, specs, scalers);
                var sum = new double[rows.Length * c];
                foreach (var net in Members)
                {
                    net.Eval();
                    var p = net.Forward(batch).Logits.Softmax(-1).Data;
                    for (int i = 0; i < sum.Length; i++) sum[i] += p[i];
                }
                for (int i = 0; i < rows.Length; i++)
                    for (int k = 0; k < c; k++) probabilities[rows[i]][k] = (float)(sum[i * c + k] / Members.Count);
            }
        }
    }

    private static readonly JsonSerializerOptions Json = new() { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver, Converters = { new JsonStringEnumConverter() } };

    public void Save(ModelWriter writer)
    {
        writer.Write(Classes);
        writer.Write(Modalities.Count);
        foreach (var (m, s) in Modalities.Zip(Scalers))
        {
            writer.Write(m.Name); writer.Write(m.IsSequence); writer.Write(m.Features);
            writer.Write(s.Mean); writer.Write(s.Std);
        }
        writer.Write(JsonSerializer.Serialize(Options, Json));
        writer.Write(Members.Count);
        foreach (var (net, seed) in Members.Zip(Seeds))
        {
            writer.Write(seed);
            NetworkState.Write(writer, net);
        }
    }

    public static MultimodalFusionModel Load(ModelReader reader)
    {
        var classes = reader.ReadStringArray();
        int mCount = reader.ReadInt32();
        var specs = new ModalitySpec[mCount];
        var scalers = new FeatureStandardizer[mCount];
        for (int m = 0; m < mCount; m++)
        {
            specs[m] = new ModalitySpec(reader.ReadString(), reader.ReadBoolean(), reader.ReadInt32());
            scalers[m] = new FeatureStandardizer(reader.ReadSingleArray(), reader.ReadSingleArray());
        }
        var options = JsonSerializer.Deserialize<MultimodalFusionOptions>(reader.ReadString(), Json)
            ?? throw new CheckpointException($"{reader.Source}: fusion options are missing");
        int k = reader.ReadInt32();
        var seeds = new int[k];
        var members = new MultimodalFusion[k];
        for (int j = 0; j < k; j++)
        {
            seeds[j] = reader.ReadInt32();
            members[j] = new MultimodalFusion(specs, classes.Length, options, seeds[j]);
            NetworkState.Read(reader, members[j], "fusion network");
        }
        return new MultimodalFusionModel(classes, specs, options, scalers, seeds, members);
    }
}
