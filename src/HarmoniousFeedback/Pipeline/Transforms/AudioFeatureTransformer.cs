using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary>
/// Audio column → sequence column of features, one <see cref="FeatureMatrix"/> per row, computed in parallel over
/// rows (audio is decoded lazily, row by row). The clip must be at the options' sample rate — resample explicitly
/// first (<c>ctx.Transforms.Resample</c>); a mismatch is an error, never a silent resample.
/// </summary>
public sealed class AudioFeatureTransformer : ITransformer
{
    private readonly Func<AudioClip, FeatureMatrix> _extract;

    public AudioFeatureTransformer(string outputColumn, string inputColumn, AudioFeatureKind kind, object? options = null)
    {
        OutputColumn = outputColumn;
        InputColumn = inputColumn;
        Kind = kind;
        (Options, _extract, FeatureNames) = Build(kind, options);
    }

    public string OutputColumn { get; }
    public string InputColumn { get; }
    public AudioFeatureKind Kind { get; }
    /// <summary>The options record of the extractor (e.g. <see cref="MfccOptions"/>).</summary>
    public object Options { get; }
    public IReadOnlyList<string> FeatureNames { get; }

    private static (object, Func<AudioClip, FeatureMatrix>, IReadOnlyList<string>) Build(AudioFeatureKind kind, object? options)
    {
        T Opt<T>() where T : new() => options switch
        {
            null => new T(),
            T t => t,
            _ => throw new FeatureParameterException(kind.ToString(), [$"options of type {options.GetType().Name} do not fit {kind}; expected {typeof(T).Name}"]),
        };
        switch (kind)
        {
            case AudioFeatureKind.Spectrogram:
            {
                var o = Opt<SpectrogramOptions>(); var e = new Spectrogram(o);
                return (o, e.Compute, Names("bin", e.Bins));
            }
            case AudioFeatureKind.MelSpectrogram:
            {
                var o = Opt<MelSpectrogramOptions>(); var e = new MelSpectrogram(o);
                return (o, e.Compute, Names("mel", o.NMels));
            }
            case AudioFeatureKind.LogMel:
            {
                var o = Opt<LogMelOptions>(); var e = new LogMelSpectrogram(o);
                return (o, e.Compute, Names("logmel", o.Mel.NMels));
            }
            case AudioFeatureKind.Mfcc:
            {
                var o = Opt<MfccOptions>(); var e = new Mfcc(o);
                return (o, e.Compute, Names("mfcc", o.NMfcc));
            }
            case AudioFeatureKind.LldSegments:
            {
                var o = Opt<LldOptions>(); var e = new LldExtractor(o);
                return (o, e.ComputeSegments, LldExtractor.SegmentColumns);
            }
            default:
            {
                var o = Opt<LldOptions>(); var e = new LldExtractor(o);
                return (o, e.ComputeFrames, LldExtractor.FrameColumns);
            }
        }
    }

    private static string[] Names(string prefix, int n) => Enumerable.Range(0, n).Select(i => $"{prefix}_{i}").ToArray();

    public Schema GetOutputSchema(Schema input)
    {
        input.Require($"{Kind}('{OutputColumn}')", InputColumn, ColumnType.Audio, "Load audio first (ctx.Transforms.LoadAudio).");
        return input.With(new SchemaColumn(OutputColumn, ColumnType.Sequence(FeatureNames.Count)) { SlotNames = FeatureNames });
    }

    public DataTable Transform(DataTable input)
    {
        var col = GetOutputSchema(input.Schema)[OutputColumn]!;
        var audio = input.Column<AudioClip>(InputColumn);
        var result = new FeatureMatrix[input.RowCount];
        // Rows in parallel; each extractor parallelises long signals internally too, bounded by FeatureParallelism.
        ParallelRows.For(result.Length, r =>
        {
            var clip = audio[r];
            try { result[r] = _extract(clip); }
            catch (HarmoniousFeedbackException e) { throw new DatasetException($"{Kind}: row {r} ({clip.Source}): {e.Message}", e); }
        }, FeatureParallelism.MaxDegreeOfParallelism);
        return input.With(new DataColumn<FeatureMatrix>(col, result));
    }

    internal static readonly JsonSerializerOptions OptionsJson = new() { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver, Converters = { new JsonStringEnumConverter() }, IncludeFields = false };

    public void Save(ModelWriter writer)
    {
        writer.Write(OutputColumn);
        writer.Write(InputColumn);
        writer.Write(Kind.ToString());
        writer.Write(JsonSerializer.Serialize(Options, Options.GetType(), OptionsJson));
    }

    public static AudioFeatureTransformer Load(ModelReader reader)
    {
        var output = reader.ReadString();
        var input = reader.ReadString();
        var kindText = reader.ReadString();
        if (!Enum.TryParse<AudioFeatureKind>(kindText, out var kind))
            throw new CheckpointException($"{reader.Source}: unknown feature kind '{kindText}' (allowed: {string.Join(", ", Enum.GetNames<AudioFeatureKind>())})");
        Type optionsType = kind switch
        {
            AudioFeatureKind.Spectrogram => typeof(SpectrogramOptions),
            AudioFeatureKind.MelSpectrogram => typeof(MelSpectrogramOptions),
            AudioFeatureKind.LogMel => typeof(LogMelOptions),
            AudioFeatureKind.Mfcc => typeof(MfccOptions),
            _ => typeof(LldOptions),
        };
        var options = JsonSerializer.Deserialize(reader.ReadString(), optionsType, OptionsJson)
            ?? throw new CheckpointException($"{reader.Source}: empty options for {kind}");
        return new AudioFeatureTransformer(output, input, kind, options);
    }
}
