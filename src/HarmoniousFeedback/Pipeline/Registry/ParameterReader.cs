using System.Globalization;
using System.Text.Json;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// Reads a component's hyperparameters from a JSON object (an experiment spec's <c>"params"</c>, a CLI's
/// <c>--param name=value</c> list) into typed values with defaults. Every read declares the parameter (name, type,
/// default, allowed values, description), so the same code that parses also documents: a reader created with
/// <see cref="Describe"/> reads nothing and only records the declarations (<c>hfb model list</c>, docs/models.md).
/// <para>
/// Problems are gathered, not thrown one by one: a value of the wrong type or outside its allowed set, and — after
/// parsing — every key that no read asked for ("<c>layrs</c> is not a parameter of a lstm model (allowed: …)").
/// <see cref="ThrowIfProblems"/> throws them all at once as an <see cref="OptionsValidationException"/>; each problem
/// starts with the JSON path given at construction (e.g. <c>models[2].params</c>).
/// </para>
/// </summary>
public sealed class ParameterReader
{
    private readonly IReadOnlyDictionary<string, JsonElement> _values;
    private readonly string _at;
    private readonly string _owner;
    private readonly List<string> _problems = new();
    private readonly List<ParameterInfo> _declared = new();
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <param name="values">The parameters by name (missing names take their defaults; JSON null means "null" where a parameter allows it).</param>
    /// <param name="at">Where the values came from, prefixed to every problem (e.g. <c>models[2].params</c>).</param>
    /// <param name="owner">What the parameters belong to, for messages (e.g. <c>a lstm model</c>).</param>
    public ParameterReader(IReadOnlyDictionary<string, JsonElement>? values, string at, string owner)
    {
        _values = values ?? new Dictionary<string, JsonElement>();
        _at = at;
        _owner = owner;
    }

    /// <summary>A reader over no values that records declarations only (every read returns its default).</summary>
    public static ParameterReader Describe(string owner) => new(null, "", owner);

    /// <summary>Parses <c>name=value</c> pairs (CLI style: numbers, true/false, null, anything else a string).</summary>
    public static Dictionary<string, JsonElement> ParsePairs(IEnumerable<string> pairs, string source)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) { problems.Add($"{source} '{pair}' must look like name=value"); continue; }
            var name = pair[..eq].Trim();
            var raw = pair[(eq + 1)..].Trim();
            string json = raw switch
            {
                "true" or "false" or "null" => raw,
                _ when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => raw,
                _ => JsonSerializer.Serialize(raw, HarmoniousFeedback.IO.JsonDefaults.Options),
            };
            d[name] = JsonDocument.Parse(json).RootElement.Clone();
        }
        if (problems.Count > 0) throw new OptionsValidationException(source, problems);
        return d;
    }

    /// <summary>The parameters read so far, in reading order.</summary>
    public IReadOnlyList<ParameterInfo> Declared => _declared;

    /// <summary>Problems found so far (wrong types, values outside the allowed set; unknown keys are added by <see cref="ThrowIfProblems"/>).</summary>
    public IReadOnlyList<string> Problems => _problems;

    private string Path(string name) => _at.Length == 0 ? name : $"{_at}.{name}";

    private bool Present(string name, out JsonElement e)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out e) && e.ValueKind != JsonValueKind.Null;
    }

    private bool ExplicitNull(string name) => _values.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.Null;

    private void Declare(string name, string type, string? def, string? allowed, string description)
    {
        if (_declared.All(p => p.Name != name)) _declared.Add(new ParameterInfo(name, type, def, allowed, description));
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A real number (JSON number) in [<paramref name="min"/>, <paramref name="max"/>] when given.</summary>
    public double Double(string name, double def, string description, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        Declare(name, "number", Num(def), Range(min, max), description);
        if (!Present(name, out var e)) return def;
        if (e.ValueKind != JsonValueKind.Number) { _problems.Add($"{Path(name)} = {e} must be a number"); return def; }
        var v = e.GetDouble();
        if (!(v >= min && v <= max)) _problems.Add($"{Path(name)} = {Num(v)} must be in {Range(min, max)}");
        return v;
    }

    /// <summary>A real number or null (JSON null or absent with a null default).</summary>
    public double? NullableDouble(string name, double? def, string description, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        Declare(name, "number or null", def is null ? "null" : Num(def.Value), Range(min, max), description);
        if (ExplicitNull(name)) { _read.Add(name); return null; }
        if (!Present(name, out var e)) return def;
        if (e.ValueKind != JsonValueKind.Number) { _problems.Add($"{Path(name)} = {e} must be a number or null"); return def; }
        var v = e.GetDouble();
        if (!(v >= min && v <= max)) _problems.Add($"{Path(name)} = {Num(v)} must be in {Range(min, max)}");
        return v;
    }

    /// <summary>An integer (JSON number without fraction) in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string name, int def, string description, int min = int.MinValue, int max = int.MaxValue)
    {
        Declare(name, "integer", def.ToString(CultureInfo.InvariantCulture), Range(min, max), description);
        if (!Present(name, out var e)) return def;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var v)) { _problems.Add($"{Path(name)} = {e} must be an integer"); return def; }
        if (v < min || v > max) _problems.Add($"{Path(name)} = {v} must be in {Range(min, max)}");
        return v;
    }

    /// <summary>An integer or null.</summary>
    public int? NullableInt(string name, int? def, string description, int min = int.MinValue, int max = int.MaxValue)
    {
        Declare(name, "integer or null", def?.ToString(CultureInfo.InvariantCulture) ?? "null", Range(min, max), description);
        if (ExplicitNull(name)) { _read.Add(name); return null; }
        if (!Present(name, out var e)) return def;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var v)) { _problems.Add($"{Path(name)} = {e} must be an integer or null"); return def; }
        if (v < min || v > max) _problems.Add($"{Path(name)} = {v} must be in {Range(min, max)}");
        return v;
    }

    public bool Bool(string name, bool def, string description)
    {
        Declare(name, "boolean", def ? "true" : "false", "true, false", description);
        if (!Present(name, out var e)) return def;
        if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
        _problems.Add($"{Path(name)} = {e} must be true or false");
        return def;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive JSON string; returned lower-case).</summary>
    public string Choice(string name, string def, IReadOnlyList<string> allowed, string description)
    {
        Declare(name, "string", def, string.Join(", ", allowed), description);
        if (!Present(name, out var e)) return def;
        var s = e.ValueKind == JsonValueKind.String ? e.GetString()!.Trim().ToLowerInvariant() : e.ToString();
        if (allowed.Contains(s)) return s;
        _problems.Add($"{Path(name)} = '{e}' is not allowed (allowed: {string.Join(", ", allowed)})");
        return def;
    }

    /// <summary>An enum value named in kebab/lower case (<c>"adamw"</c> → <c>AdamW</c>); the allowed names are the enum's, lower-cased.</summary>
    public TEnum Enum<TEnum>(string name, TEnum def, string description) where TEnum : struct, System.Enum
    {
        var names = System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToArray();
        var s = Choice(name, def.ToString().ToLowerInvariant(), names, description);
        return System.Enum.GetValues<TEnum>().First(v => v.ToString().Equals(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// A value with its own syntax (e.g. SVM's gamma: "scale", "auto" or a number; LDA's shrinkage: null, "auto" or a
    /// number). <paramref name="tryParse"/> gets the JSON value (JSON null included) and says whether it accepts it;
    /// a rejected value becomes a problem quoting <paramref name="allowed"/>.
    /// </summary>
    public T Custom<T>(string name, T def, string type, string defText, string allowed, string description, TryParseJson<T> tryParse)
    {
        Declare(name, type, defText, allowed, description);
        _read.Add(name);
        if (!_values.TryGetValue(name, out var e)) return def;
        if (tryParse(e, out var v)) return v;
        _problems.Add($"{Path(name)} = '{e}' is not allowed (allowed: {allowed})");
        return def;
    }

    /// <summary>Adds a problem found by the caller (e.g. a constraint between two parameters).</summary>
    public void Problem(string message) => _problems.Add(_at.Length == 0 ? message : $"{_at}: {message}");

    /// <summary>Throws every problem at once, including each given key no read asked for; does nothing when all is well.</summary>
    public void ThrowIfProblems()
    {
        var problems = new List<string>(_problems);
        var allowed = string.Join(", ", _declared.Select(p => p.Name));
        foreach (var k in _values.Keys)
            if (!_read.Contains(k)) problems.Add($"{Path(k)} is not a parameter of {_owner} (allowed: {(allowed.Length == 0 ? "none" : allowed)})");
        if (problems.Count > 0) throw new OptionsValidationException(_owner, problems);
    }

    private static string? Range(double min, double max) =>
        double.IsNegativeInfinity(min) && double.IsPositiveInfinity(max) ? null
        : double.IsPositiveInfinity(max) ? $"[{Num(min)}, ∞)"
        : double.IsNegativeInfinity(min) ? $"(−∞, {Num(max)}]"
        : $"[{Num(min)}, {Num(max)}]";

    private static string? Range(int min, int max) => Range(min == int.MinValue ? double.NegativeInfinity : min, max == int.MaxValue ? double.PositiveInfinity : max);
}
