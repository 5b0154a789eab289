using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The folder a run writes: <c>results/&lt;experiment&gt;/&lt;run&gt;/</c>. The run id is a hash of the experiment spec
/// and the dataset manifest, so starting the same experiment again on the same data opens the same folder and reuses
/// the units (one model × fold) that already completed — a killed run resumes where it stopped. Every file is written
/// atomically (temp file + rename), so a kill never leaves a half-written result.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string path, string runId)
    {
        Path = path;
        RunId = runId;
        Directory.CreateDirectory(System.IO.Path.Combine(path, "units"));
    }

    public string Path { get; }
    public string RunId { get; }

    /// <summary>Opens (creating if needed) the run folder for <paramref name="spec"/> on the data identified by <paramref name="dataHash"/>.</summary>
    /// <param name="resultsRoot">Usually <c>results/</c>.</param>
    /// <param name="spec">The experiment.</param>
    /// <param name="dataHash">The dataset manifest hash (different data → a different run).</param>
    /// <param name="fresh">Delete reusable units first, so everything is recomputed.</param>
    /// <param name="runName">An explicit run folder name instead of the hash.</param>
    public static RunFolder Open(string resultsRoot, ExperimentSpec spec, string dataHash, bool fresh = false, string? runName = null)
    {
        var id = runName ?? RunIdFor(spec, dataHash);
        var path = System.IO.Path.Combine(resultsRoot, spec.Name, id);
        if (fresh && Directory.Exists(System.IO.Path.Combine(path, "units")))
            Directory.Delete(System.IO.Path.Combine(path, "units"), recursive: true);
        return new RunFolder(path, id);
    }

    /// <summary>
    /// First 12 hex digits of SHA-256(spec JSON ‖ data hash ‖ code id ‖ results format version). The code id
    /// (<see cref="CodeId"/>) changes whenever the toolkit's code changes, so a restarted run only ever reuses units
    /// computed by the same build — never a mix of old and new results.
    /// </summary>
    public static string RunIdFor(ExperimentSpec spec, string dataHash)
    {
        var bytes = Encoding.UTF8.GetBytes(spec.ToJson() + "\n" + dataHash + "\n" + CodeId + "\nresults-v1");
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
    }

    /// <summary>The toolkit assembly's module version id: with deterministic builds a function of its source and build inputs.</summary>
    public static string CodeId { get; } = typeof(RunFolder).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes text atomically (UTF-8 without BOM, '\n' line endings as given).</summary>
    public void WriteText(string relative, string content) => AtomicFile.WriteAllText(File(relative), content);

    public void WriteBytes(string relative, byte[] content) => AtomicFile.WriteAllBytes(File(relative), content);

    private string UnitPath(string key) => File(System.IO.Path.Combine("units", Sanitise(key) + ".json"));

    /// <summary>Where units were saved before '+' was kept in file names (<c>lstm_am</c> for <c>lstm+am</c>); read so older runs resume.</summary>
    private string LegacyUnitPath(string key) => File(System.IO.Path.Combine("units", Sanitise(key).Replace('+', '_') + ".json"));

    /// <summary>Loads a completed unit (e.g. <c>svm/grouped-kfold/r0-f1</c>) saved by <see cref="SaveUnit{T}"/>; false when absent or unreadable.</summary>
    public bool TryLoadUnit<T>(string key, out T value)
    {
        value = default!;
        var p = UnitPath(key);
        if (!System.IO.File.Exists(p)) p = LegacyUnitPath(key);
        if (!System.IO.File.Exists(p)) return false;
        try
        {
            var v = JsonSerializer.Deserialize<T>(System.IO.File.ReadAllText(p), ExperimentSpec.Json);
            if (v is null) return false;
            value = v;
            return true;
        }
        catch (JsonException)
        {
            return false; // a unit from an older format: recompute it
        }
    }

    public void SaveUnit<T>(string key, T value) => AtomicFile.WriteAllBytes(UnitPath(key), JsonSerializer.SerializeToUtf8Bytes(value, ExperimentSpec.Json));

    private static string Sanitise(string key)
    {
        var sb = new StringBuilder(key.Length);
        // '+' is kept so unit files and figures share one name per model (ExperimentPlan.Slug: "3-layer-lstm+am").
        foreach (var ch in key) sb.Append(char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' or '/' or '+' ? ch : '_');
        return sb.ToString().Replace("..", "_");
    }

    /// <summary>Serialises a JSON tree deterministically: object keys sorted ordinally, numbers in round-trip form, '\n' newlines.</summary>
    public static string CanonicalJson(JsonNode node)
    {
        var sorted = Sort(node);
        var json = sorted?.ToJsonString(new JsonSerializerOptions { TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver, WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
        return json.Replace("\r\n", "\n") + "\n";
    }

    private static JsonNode? Sort(JsonNode? n) => n switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sort(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Sort).ToArray()),
        null => null,
        _ => JsonNode.Parse(n.ToJsonString()),
    };
}
