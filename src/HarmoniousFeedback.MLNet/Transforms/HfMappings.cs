using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.MLNet.Data;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Transforms;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace HarmoniousFeedback.MLNet.Transforms;

// The row classes and CustomMapping factories behind the Hf* estimators. ML.NET saves a CustomMapping as its contract
// name + assembly only, and rebuilds it on load from the factory registered under that name, with the column names and
// types its row classes declare — so every name and size here is fixed, and the step's options travel in the data
// (the constant __hf_options column, see HfMappingEstimator). Changing a contract's row classes or the meaning of its
// options breaks saved models: add a new contract (".v2") instead.

/// <summary>Fixed column names of the mapping steps (renamed to and from the user's columns by <see cref="HfMappingEstimator"/>).</summary>
internal static class HfColumns
{
    public const string In = "__hf_in";
    public const string Anchor = "__hf_anchor";
    public const string Options = "__hf_options";
    public const string Out = "__hf_out";
}

/// <summary>Contract names (saved in models: never change one; add a new version instead).</summary>
internal static class HfContracts
{
    public const string LoadAudio = "HarmoniousFeedback.MLNet.LoadAudio.v1";
    public const string Resample = "HarmoniousFeedback.MLNet.Resample.v1";
    public const string AudioFeatures = "HarmoniousFeedback.MLNet.AudioFeatures.v1";
    public const string PooledLld = "HarmoniousFeedback.MLNet.PooledLld.v1";
    public const string AudioAnchor = "HarmoniousFeedback.MLNet.AudioAnchor.v1";
}

internal sealed class HfPathInput
{
    [ColumnName(HfColumns.In)] public string Path { get; set; } = "";
    [ColumnName(HfColumns.Options)] public string Options { get; set; } = "";
}

internal sealed class HfAudioInput
{
    [ColumnName(HfColumns.In), AudioClipType] public AudioClip? Audio { get; set; }
    [ColumnName(HfColumns.Options)] public string Options { get; set; } = "";
}

internal sealed class HfAudioOnly
{
    [ColumnName(HfColumns.In), AudioClipType] public AudioClip? Audio { get; set; }
}

internal sealed class HfAnchorOutput
{
    [ColumnName(HfColumns.Anchor)] public float Anchor { get; set; }
}

internal sealed class HfAudioOutput
{
    [ColumnName(HfColumns.Out), AudioClipType] public AudioClip? Audio { get; set; }
}

internal sealed class HfSequenceOutput
{
    [ColumnName(HfColumns.Out)] public float[] Values { get; set; } = [];
}

internal sealed class HfPooledLldOutput
{
    /// <summary>Mean then population std of the 50 LLD columns over a clip's segments.</summary>
    public const int Size = 100;

    [ColumnName(HfColumns.Out), VectorType(Size)] public float[] Values { get; set; } = new float[Size];
}

/// <summary>Turns an audio column into a constant float so that ML.NET's <c>Expression</c> (which reads only primitive columns) can add the options column beside it.</summary>
[CustomMappingFactoryAttribute(HfContracts.AudioAnchor)]
internal sealed class HfAudioAnchorFactory : CustomMappingFactory<HfAudioOnly, HfAnchorOutput>
{
    public override Action<HfAudioOnly, HfAnchorOutput> GetMapping() => static (_, dst) => dst.Anchor = 0;
}

/// <summary>Path → <see cref="AudioClip"/> (<see cref="AudioFile.Read"/>; options: <see cref="LoadAudioSpec"/>).</summary>
[CustomMappingFactoryAttribute(HfContracts.LoadAudio)]
internal sealed class HfLoadAudioFactory : CustomMappingFactory<HfPathInput, HfAudioOutput>
{
    public override Action<HfPathInput, HfAudioOutput> GetMapping() => static (src, dst) =>
    {
        var spec = HfSpecs.Get<LoadAudioSpec>(src.Options);
        dst.Audio = AudioFile.Read(src.Path, spec.Mono);
    };
}

/// <summary>AudioClip → AudioClip at <see cref="ResampleSpec.NewFreq"/> (<see cref="Resampler"/>).</summary>
[CustomMappingFactoryAttribute(HfContracts.Resample)]
internal sealed class HfResampleFactory : CustomMappingFactory<HfAudioInput, HfAudioOutput>
{
    public override Action<HfAudioInput, HfAudioOutput> GetMapping() => static (src, dst) =>
    {
        var spec = HfSpecs.Get<ResampleSpec>(src.Options);
        dst.Audio = Resampler.Resample(HfSpecs.RequireAudio(src.Audio, "HfResample"), spec.NewFreq);
    };
}

/// <summary>AudioClip → a feature sequence [T × F] flattened row-major, computed by the toolkit's <see cref="AudioFeatureTransformer"/>.</summary>
[CustomMappingFactoryAttribute(HfContracts.AudioFeatures)]
internal sealed class HfAudioFeaturesFactory : CustomMappingFactory<HfAudioInput, HfSequenceOutput>
{
    public override Action<HfAudioInput, HfSequenceOutput> GetMapping() => static (src, dst) =>
    {
        var spec = HfSpecs.Get<AudioFeatureSpec>(src.Options);
        dst.Values = spec.Extract(HfSpecs.RequireAudio(src.Audio, spec.Kind.ToString())).Data;
    };
}

/// <summary>AudioClip → the 100-dim pooled LLD vector (mean and std over segments of the 50 LLD columns, as the toolkit's <c>PoolSequence(MeanStd)</c>).</summary>
[CustomMappingFactoryAttribute(HfContracts.PooledLld)]
internal sealed class HfPooledLldFactory : CustomMappingFactory<HfAudioInput, HfPooledLldOutput>
{
    public override Action<HfAudioInput, HfPooledLldOutput> GetMapping() => static (src, dst) =>
    {
        var spec = HfSpecs.Get<AudioFeatureSpec>(src.Options);
        var segments = spec.Extract(HfSpecs.RequireAudio(src.Audio, "HfPooledLld"));
        var table = new DataTable([new DataColumn<FeatureMatrix>("Lld", ColumnType.Sequence(segments.Columns), [segments])]);
        dst.Values = HfSpecs.Pool.Transform(table).Column<float[]>("Pooled")[0];
    };
}

/// <summary>Options of <c>HfLoadAudio</c> as saved in the model.</summary>
internal sealed record LoadAudioSpec(bool Mono);

/// <summary>Options of <c>HfResample</c> as saved in the model.</summary>
internal sealed record ResampleSpec(int NewFreq);

/// <summary>An extractor kind and its options record (e.g. <see cref="MfccOptions"/>) as saved in the model.</summary>
internal sealed record AudioFeatureSpec(AudioFeatureKind Kind, JsonElement Options)
{
    private AudioFeatureTransformer? _transformer;

    public static AudioFeatureSpec Create(AudioFeatureKind kind, object options)
        => new(kind, JsonSerializer.SerializeToElement(options, options.GetType(), HfSpecs.Json));

    /// <summary>The toolkit transformer this spec describes (built once per spec; thread-safe to use).</summary>
    public AudioFeatureTransformer Transformer => _transformer ??= new AudioFeatureTransformer("Features", "Audio", Kind, Options.Deserialize(OptionsType(Kind), HfSpecs.Json));

    public static Type OptionsType(AudioFeatureKind kind) => kind switch
    {
        AudioFeatureKind.Spectrogram => typeof(SpectrogramOptions),
        AudioFeatureKind.MelSpectrogram => typeof(MelSpectrogramOptions),
        AudioFeatureKind.LogMel => typeof(LogMelOptions),
        AudioFeatureKind.Mfcc => typeof(MfccOptions),
        _ => typeof(LldOptions),
    };

    /// <summary>Features of one clip, exactly as the toolkit pipeline computes them.</summary>
    public FeatureMatrix Extract(AudioClip clip)
    {
        var t = Transformer;
        var table = new DataTable([new DataColumn<AudioClip>("Audio", ColumnType.Audio, [clip])]);
        return t.Transform(table).Column<FeatureMatrix>("Features")[0];
    }
}

/// <summary>Parsing and caching of the options text the mappings receive with every row.</summary>
internal static class HfSpecs
{
    public static readonly JsonSerializerOptions Json = new() { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver, Converters = { new JsonStringEnumConverter() } };
    private static readonly ConcurrentDictionary<(Type, string), object> Cache = new();
    public static readonly PoolSequenceTransformer Pool = new("Pooled", "Lld", SequencePooling.MeanStd);

    public static string Serialize<T>(T spec) => JsonSerializer.Serialize(spec, Json);

    /// <summary>The spec in <paramref name="text"/> (parsed once per distinct text).</summary>
    public static T Get<T>(string text) => (T)Cache.GetOrAdd((typeof(T), text), static key =>
    {
        try
        {
            return JsonSerializer.Deserialize(key.Item2, key.Item1, Json)
                ?? throw new CheckpointException($"the options of a HarmoniousFeedback ML.NET step are empty (expected {key.Item1.Name})");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"the options of a HarmoniousFeedback ML.NET step cannot be read as {key.Item1.Name}: {e.Message}. Text: {key.Item2}", e);
        }
    });

    public static AudioClip RequireAudio(AudioClip? clip, string stage)
        => clip ?? throw new DatasetException($"{stage}: a row has no audio (the audio column's value is null)");
}
