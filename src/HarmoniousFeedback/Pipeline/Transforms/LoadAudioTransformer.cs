using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>Path column → lazily decoded audio column (WAV natively; other formats through ffmpeg when installed).</summary>
public sealed class LoadAudioTransformer(string outputColumn, string pathColumn, bool mono = true) : ITransformer
{
    public string OutputColumn { get; } = outputColumn;
    public string PathColumn { get; } = pathColumn;
    public bool Mono { get; } = mono;

    public Schema GetOutputSchema(Schema input)
    {
        input.Require($"LoadAudio('{OutputColumn}')", PathColumn, ColumnType.String);
        return input.With(new SchemaColumn(OutputColumn, ColumnType.Audio));
    }

    public DataTable Transform(DataTable input)
    {
        var col = GetOutputSchema(input.Schema)[OutputColumn]!;
        var paths = input.Column<string>(PathColumn).ToArray();
        bool mono = Mono;
        return input.With(new DataColumn<AudioClip>(col, paths.Length, r => AudioFile.Read(paths[r], mono)));
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(PathColumn);
        writer.Write(Mono);
    }

    public static LoadAudioTransformer Load(ModelReader reader) => new(reader.ReadString(), reader.ReadString(), reader.ReadBoolean());
}
