using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Data;

/// <summary>
/// <c>manifest.json</c> of a prepared dataset folder: what was prepared, from where, with which renderer, and the content
/// hash of every clip's MIDI and audio. Written atomically (temporary file + rename) with indented camelCase JSON.
/// <para>
/// <see cref="ManifestHash"/> identifies the data independently of where it lives: SHA-256 over the UTF-8 lines
/// <c>format, name, renderer cache key</c> and, per clip in id order, <c>id, label, group, split, valence, arousal,
/// SHA-256(text), midiSha256, sourceSha256, audioSha256</c> (tab-separated, invariant culture, "R" round-trip numbers). Paths,
/// the source folder and timings are excluded, so the same data prepared on two machines has the same hash.
/// Manifests of multi-renderer datasets append <c>name=cacheKey</c> of each of <see cref="Renderers"/> (";"-joined) to the
/// first line, and clips with targets, a renderer or a reference append <c>renderer, referenceAudioSha256,
/// referenceMidiSha256, targets</c> (<c>name=value</c> sorted by name, ";"-joined) to theirs; manifests without these
/// fields hash exactly as before.
/// </para>
/// </summary>
public sealed record Manifest
{
    public const string FileName = "manifest.json";
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string Name { get; init; }
    public required string Source { get; init; }
    public ManifestRenderer? Renderer { get; init; }
    /// <summary>The renderers of a dataset that renders every clip with several (the teaching-feedback corpus); clips name theirs in <see cref="ManifestClip.Renderer"/>. Null otherwise.</summary>
    public IReadOnlyList<ManifestRenderer>? Renderers { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required IReadOnlyDictionary<string, int> ClassCounts { get; init; }
    public required IReadOnlyDictionary<string, int> SplitCounts { get; init; }
    public required IReadOnlyList<ManifestClip> Clips { get; init; }
    public string ManifestHash { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new()
    {
        TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver,
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Builds a manifest with class/split counts and <see cref="ManifestHash"/> filled in.</summary>
    public static Manifest Create(string name, string source, ManifestRenderer? renderer, IReadOnlyList<string> classNames, IEnumerable<ManifestClip> clips,
                                  IReadOnlyList<ManifestRenderer>? renderers = null)
    {
        var list = clips.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        var m = new Manifest
        {
            Name = name,
            Source = source,
            Renderer = renderer,
            Renderers = renderers,
            ClassNames = classNames,
            ClassCounts = classNames.ToDictionary(c => c, c => list.Count(x => x.Label == c)),
            SplitCounts = list.GroupBy(c => c.Split ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            Clips = list,
        };
        return m with { ManifestHash = m.ComputeHash() };
    }

    /// <summary>SHA-256 of the canonical content (see the type's remarks).</summary>
    public string ComputeHash()
    {
        var sb = new StringBuilder();
        static string N(double? x) => x is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
        sb.Append(Format).Append('\t').Append(Name).Append('\t').Append(Renderer?.CacheKey ?? "");
        if (Renderers is not null) sb.Append('\t').Append(string.Join(";", Renderers.Select(r => r.Name + "=" + r.CacheKey)));
        sb.Append('\n');
        foreach (var c in Clips.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            string text = c.Text is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.Text)));
            sb.Append(c.Id).Append('\t').Append(c.Label).Append('\t').Append(c.Group).Append('\t').Append(c.Split ?? "").Append('\t')
              .Append(N(c.Valence)).Append('\t').Append(N(c.Arousal)).Append('\t').Append(text).Append('\t')
              .Append(c.MidiSha256 ?? "").Append('\t').Append(c.SourceSha256 ?? "").Append('\t').Append(c.AudioSha256);
            if (c.HasExtensions)
            {
                string targets = c.Targets is null ? "" : string.Join(";", c.Targets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + N(t.Value)));
                sb.Append('\t').Append(c.Renderer ?? "").Append('\t').Append(c.ReferenceAudioSha256 ?? "").Append('\t')
                  .Append(c.ReferenceMidiSha256 ?? "").Append('\t').Append(targets);
            }
            sb.Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Writes <c>&lt;directory&gt;/manifest.json</c> atomically.</summary>
    public void Write(string directory)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json) + "\n");
    }

    /// <summary>Reads <c>&lt;directory&gt;/manifest.json</c>; a missing, malformed or tampered manifest raises <see cref="DatasetException"/>.</summary>
    public static Manifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new DatasetException($"manifest not found: {path} (prepare the folder with `hfb data prepare`)");
        Manifest? m;
        try { m = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new DatasetException($"{path}: not a valid manifest ({e.Message})", e); }
        if (m is null) throw new DatasetException($"{path}: manifest is empty");
        if (m.Format != CurrentFormat) throw new DatasetException($"{path}: manifest format {m.Format} is not supported (expected {CurrentFormat})");
        var h = m.ComputeHash();
        if (h != m.ManifestHash) throw new DatasetException($"{path}: manifestHash {m.ManifestHash} does not match the content ({h}); the file was edited by hand");
        return m;
    }

    /// <summary>Clips of this manifest as a <see cref="Dataset"/> with absolute paths under <paramref name="directory"/>.</summary>
    public Dataset ToDataset(string directory)
    {
        string Abs(string p) => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(directory, p));
        var clips = Clips.Select(c => new Clip
        {
            Id = c.Id,
            GroupId = c.Group,
            Label = c.Label,
            Valence = c.Valence,
            Arousal = c.Arousal,
            Text = c.Text,
            Split = ParseSplit(c.Split),
            AudioPath = Abs(c.Audio),
            MidiPath = c.Midi is null ? null : Abs(c.Midi),
            Targets = c.Targets,
            Renderer = c.Renderer,
            ReferenceAudioPath = c.ReferenceAudio is null ? null : Abs(c.ReferenceAudio),
            ReferenceMidiPath = c.ReferenceMidi is null ? null : Abs(c.ReferenceMidi),
        });
        return new Dataset(Name, Source, clips, ClassNames, manifest: this);
    }

    public static string? SplitName(Split? s) => s switch
    {
        Data.Split.Train => "train",
        Data.Split.Validation => "val",
        Data.Split.Test => "test",
        _ => null,
    };

    public static Split? ParseSplit(string? s) => s switch
    {
        null => null,
        "train" => Data.Split.Train,
        "val" => Data.Split.Validation,
        "test" => Data.Split.Test,
        _ => throw new DatasetException($"manifest split '{s}' must be train, val or test"),
    };
}
