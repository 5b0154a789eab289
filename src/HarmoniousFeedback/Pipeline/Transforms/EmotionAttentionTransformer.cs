using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>
/// Applies an <see cref="EmotionAttention"/> (typically the one of a trained HFN) to a spectrogram column: per row,
/// X [T × M] (a normalised log-mel) and optional factor intensities e [3] (tone, sentiment, engagement; a Vector[3]
/// column, or none) give the attention map A [T × M] and the re-weighted spectrogram S = X ⊙ A. The output column holds
/// S, or A itself with <see cref="OutputMap"/> (to plot where the model listens). Frame times and names are kept.
/// </summary>
public sealed class EmotionAttentionTransformer : ITransformer
{
    private readonly object _gate = new();

    public EmotionAttentionTransformer(string outputColumn, string inputColumn, string? factorsColumn, EmotionAttention attention, bool outputMap = false)
    {
        OutputColumn = outputColumn;
        InputColumn = inputColumn;
        FactorsColumn = factorsColumn;
        Attention = attention;
        OutputMap = outputMap;
    }

    public string OutputColumn { get; }
    public string InputColumn { get; }
    public string? FactorsColumn { get; }
    public EmotionAttention Attention { get; }
    public bool OutputMap { get; }

    private string Stage => $"EmotionAttention('{OutputColumn}')";

    public Schema GetOutputSchema(Schema input)
    {
        var c = input.Require(Stage, InputColumn, ColumnType.Sequence(Attention.NMels), $"The attention was built for {Attention.NMels} mel bins (a logmel view column).");
        if (FactorsColumn is not null) input.Require(Stage, FactorsColumn, ColumnType.Vector(Attention.Factors), "Factor intensities: tone, sentiment, engagement.");
        return input.With(c with { Name = OutputColumn });
    }

    public DataTable Transform(DataTable input)
    {
        var schema = GetOutputSchema(input.Schema);
        var x = input.Column<FeatureMatrix>(InputColumn);
        var e = FactorsColumn is null ? null : input.Column<float[]>(FactorsColumn);
        int m = Attention.NMels;
        var output = new FeatureMatrix[input.RowCount];
        lock (_gate)
        {
            using var _ = Tensor.NoGrad();
            for (int r = 0; r < output.Length; r++)
            {
                var xm = x[r];
                int t = xm.Rows;
                var xt = new float[m * t];
                for (int i = 0; i < t; i++) for (int w = 0; w < m; w++) xt[w * t + i] = xm.Data[i * m + w];
                var a = Attention.Forward(new Tensor(xt, 1, 1, m, t), e is null ? null : new Tensor(e[r], 1, Attention.Factors)).Data;
                var y = new float[t * m];
                for (int i = 0; i < t; i++)
                    for (int w = 0; w < m; w++) y[i * m + w] = OutputMap ? a[w * t + i] : xm.Data[i * m + w] * a[w * t + i];
                output[r] = new FeatureMatrix(y, t, m, xm.FeatureNames, xm.FrameTimes, xm.Options);
            }
        }
        return input.With(new DataColumn<FeatureMatrix>(schema[OutputColumn]!, output));
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(InputColumn);
        writer.Write(FactorsColumn ?? "");
        writer.Write(OutputMap);
        writer.Write(Attention.NMels);
        writer.Write(Attention.Factors);
        writer.Write(Attention.BaseEmbedding.Count);
        foreach (var (name, t) in Attention.StateDict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            writer.Write(t.Data.ToArray());
        }
    }

    public static EmotionAttentionTransformer Load(ModelReader reader)
    {
        string output = reader.ReadString(), input = reader.ReadString(), factors = reader.ReadString();
        bool map = reader.ReadBoolean();
        int m = reader.ReadInt32(), f = reader.ReadInt32(), d = reader.ReadInt32();
        var attention = new EmotionAttention(m, f, d, new NnRng(0));
        var state = attention.StateDict();
        for (int i = 0; i < state.Count; i++)
        {
            var name = reader.ReadString();
            var data = reader.ReadSingleArray();
            if (!state.TryGetValue(name, out var t) || t.Count != data.Length)
                throw new CheckpointException($"{reader.Source}: emotional attention entry '{name}' ({data.Length} values) does not fit the attention's shape");
            data.CopyTo(t.Data);
        }
        return new EmotionAttentionTransformer(output, input, factors.Length == 0 ? null : factors, attention, map);
    }
}
