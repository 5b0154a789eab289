using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Features.Text;
using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>A trained <see cref="JointAudioText"/> ensemble: the fold's vocabulary, audio standardisers, options and weights; averages the members' main-task probabilities.</summary>
public sealed class JointAudioTextModel : IMultiInputModel
{
    private readonly Lock _gate = new();
    private readonly JointAudioTextTrainer.Layout _layout;

    internal JointAudioTextModel(IReadOnlyList<string> classes, int inputCount, JointAudioTextTrainer.Layout layout, JointAudioTextOptions options,
                                 IReadOnlyList<int> seeds, IReadOnlyList<JointAudioText> members)
    {
        Classes = classes;
        InputCount = inputCount;
        _layout = layout;
        Options = options;
        Seeds = seeds;
        Members = members;
    }

    public IReadOnlyList<string> Classes { get; }
    public int InputCount { get; }
    public JointAudioTextOptions Options { get; }
    public IReadOnlyList<int> Seeds { get; }
    public IReadOnlyList<JointAudioText> Members { get; }
    /// <summary>The vocabulary fitted on the training texts (null without a text input).</summary>
    public TextVocabulary? Vocabulary => _layout.Vocabulary;

    public void PredictProbabilitiesBatch(IReadOnlyList<IReadOnlyList<object>> inputs, float[][] probabilities)
    {
        if (inputs.Count != InputCount) throw new ShapeMismatchException($"the joint audio–text model reads {InputCount} inputs, got {inputs.Count}");
        var x = inputs.Select(i => i.ToArray()).ToArray();
        int n = probabilities.Length, c = Classes.Count;
        lock (_gate)
        {
            using var _ = Tensor.NoGrad();
            for (int s = 0; s < n; s += 256)
            {
                var rows = Enumerable.Range(s, Math.Min(256, n - s)).ToArray();
                var sum = new double[rows.Length * c];
                foreach (var net in Members)
                {
                    net.Eval();
                    var p = JointAudioTextTrainer.Forward(net, _layout, x, rows).Logits.Softmax(-1).Data;
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
        writer.Write(InputCount);
        writer.Write(_layout.AudioColumns);
        writer.Write(_layout.TextColumn);
        foreach (var (m, s) in _layout.Specs.Zip(_layout.Scalers))
        {
            writer.Write(m.Name); writer.Write(m.IsSequence); writer.Write(m.Features);
            writer.Write(s.Mean); writer.Write(s.Std);
        }
        writer.Write(_layout.Vocabulary is not null);
        if (_layout.Vocabulary is not null)
        {
            using var ms = new MemoryStream();
            _layout.Vocabulary.Save(ms);
            writer.Write(ms.ToArray());
        }
        writer.Write(JsonSerializer.Serialize(Options, Json));
        writer.Write(Members.Count);
        foreach (var (net, seed) in Members.Zip(Seeds))
        {
            writer.Write(seed);
            NetworkState.Write(writer, net);
        }
    }

    public static JointAudioTextModel Load(ModelReader reader)
    {
        var classes = reader.ReadStringArray();
        int inputCount = reader.ReadInt32();
        var audioColumns = reader.ReadInt32Array();
        int textColumn = reader.ReadInt32();
        var specs = new ModalitySpec[audioColumns.Length];
        var scalers = new FeatureStandardizer[audioColumns.Length];
        for (int m = 0; m < specs.Length; m++)
        {
            specs[m] = new ModalitySpec(reader.ReadString(), reader.ReadBoolean(), reader.ReadInt32());
            scalers[m] = new FeatureStandardizer(reader.ReadSingleArray(), reader.ReadSingleArray());
        }
        TextVocabulary? vocab = null;
        if (reader.ReadBoolean())
        {
            using var ms = new MemoryStream(reader.ReadBytes());
            vocab = TextVocabulary.Load(ms);
        }
        var options = JsonSerializer.Deserialize<JointAudioTextOptions>(reader.ReadString(), Json)
            ?? throw new CheckpointException($"{reader.Source}: joint audio–text options are missing");
        int k = reader.ReadInt32();
        var seeds = new int[k];
        var members = new JointAudioText[k];
        for (int j = 0; j < k; j++)
        {
            seeds[j] = reader.ReadInt32();
            members[j] = new JointAudioText(specs, vocab?.Count, classes.Length, options, seeds[j]);
            NetworkState.Read(reader, members[j], "joint audio–text network");
        }
        return new JointAudioTextModel(classes, inputCount, new JointAudioTextTrainer.Layout(audioColumns, textColumn, specs, scalers, vocab), options, seeds, members);
    }
}
