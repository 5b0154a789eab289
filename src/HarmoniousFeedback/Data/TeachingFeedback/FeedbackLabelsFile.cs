using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// <c>feedback.json</c>, the sidecar of a prepared teaching-feedback folder: references, renditions with their labels,
/// spans and windows, the renderers, and the hashes. Written atomically with indented camelCase JSON.
/// <see cref="LabelsHash"/> = SHA-256 of this file's JSON with the three hash fields empty;
/// <see cref="CorpusHash"/> = SHA-256(manifestHash + "\n" + labelsHash): the same corpus prepared anywhere has the same
/// corpus hash (paths inside are relative to the folder).
/// </summary>
public sealed record FeedbackLabelsFile
{
    public const string FileName = "feedback.json";
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string Name { get; init; }
    public required string Source { get; init; }

    /// <summary><see cref="FeedbackCorpusOptions.ToString"/> of the options that built it.</summary>
    public required string Options { get; init; }

    /// <summary>The dimension names in canonical order.</summary>
    public required IReadOnlyList<string> Dimensions { get; init; }

    /// <summary>The dominant-issue classes (dimensions, then "none").</summary>
    public required IReadOnlyList<string> IssueClasses { get; init; }

    /// <summary>Renderer name → cache key (every option).</summary>
    public required IReadOnlyDictionary<string, string> Renderers { get; init; }

    public required IReadOnlyList<FeedbackReferenceRecord> References { get; init; }
    public required IReadOnlyList<FeedbackRenditionRecord> Renditions { get; init; }

    /// <summary>The <see cref="Manifest.ManifestHash"/> of the manifest written with it.</summary>
    public string ManifestHash { get; init; } = "";
    public string LabelsHash { get; init; } = "";
    public string CorpusHash { get; init; } = "";

    internal static readonly JsonSerializerOptions Json = new()
    {
        TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver,
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>SHA-256 of the JSON with the hash fields empty.</summary>
    public string ComputeLabelsHash()
    {
        var json = JsonSerializer.Serialize(this with { ManifestHash = "", LabelsHash = "", CorpusHash = "" }, Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>The corpus hash of a manifest hash and a labels hash.</summary>
    public static string CombineHashes(string manifestHash, string labelsHash)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifestHash + "\n" + labelsHash)));

    /// <summary>This file with its three hashes filled in for <paramref name="manifestHash"/>.</summary>
    public FeedbackLabelsFile WithHashes(string manifestHash)
    {
        var labels = ComputeLabelsHash();
        return this with { ManifestHash = manifestHash, LabelsHash = labels, CorpusHash = CombineHashes(manifestHash, labels) };
    }

    /// <summary>Writes <c>&lt;directory&gt;/feedback.json</c> atomically.</summary>
    public void Write(string directory)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json) + "\n");
    }

    /// <summary>Reads <c>&lt;directory&gt;/feedback.json</c>; missing, malformed or hand-edited files raise <see cref="DatasetException"/>.</summary>
    public static FeedbackLabelsFile Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new DatasetException($"teaching-feedback labels not found: {path} (prepare the folder with `hfb data prepare feedback`)");
        FeedbackLabelsFile? f;
        try { f = JsonSerializer.Deserialize<FeedbackLabelsFile>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new DatasetException($"{path}: not a valid teaching-feedback label file ({e.Message})", e); }
        if (f is null) throw new DatasetException($"{path}: label file is empty");
        if (f.Format != CurrentFormat) throw new DatasetException($"{path}: label file format {f.Format} is not supported (expected {CurrentFormat})");
        var h = f.ComputeLabelsHash();
        if (h != f.LabelsHash) throw new DatasetException($"{path}: labelsHash {f.LabelsHash} does not match the content ({h}); the file was edited by hand");
        if (CombineHashes(f.ManifestHash, f.LabelsHash) != f.CorpusHash) throw new DatasetException($"{path}: corpusHash {f.CorpusHash} does not match manifestHash and labelsHash");
        return f;
    }
}
