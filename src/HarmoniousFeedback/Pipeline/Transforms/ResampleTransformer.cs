using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>Audio column → audio column at <see cref="NewFreq"/> (band-limited windowed-sinc, <see cref="Resampler"/>), lazily per row.</summary>
public sealed class ResampleTransformer(string outputColumn, string inputColumn, int newFreq) : ITransformer
{
    public string OutputColumn { get; } = outputColumn;
    public string InputColumn { get; } = inputColumn;
    public int NewFreq { get; } = newFreq > 0 ? newFreq : throw new FeatureParameterException(nameof(ResampleTransformer), [$"newFreq = {newFreq} must be > 0"]);

    public Schema GetOutputSchema(Schema input)
    {
        input.Require($"Resample('{OutputColumn}')", InputColumn, ColumnType.Audio);
        return input.With(new SchemaColumn(OutputColumn, ColumnType.Audio));
    }

    public DataTable Transform(DataTable input)
    {
        var col = GetOutputSchema(input.Schema)[OutputColumn]!;
        var audio = input.Column<AudioClip>(InputColumn);
        int rate = NewFreq;
        return input.With(new DataColumn<AudioClip>(col, input.RowCount, r => Resampler.Resample(audio[r], rate)));
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(InputColumn);
        writer.Write(NewFreq);
    }

    public static ResampleTransformer Load(ModelReader reader) => new(reader.ReadString(), reader.ReadString(), reader.ReadInt32());
}
