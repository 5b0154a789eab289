using System.Text.Json;
using System.Text.Json.Serialization;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// An experiment as a file (<c>experiments/*.json</c>): which data, which features, which models with which
/// hyperparameters, which evaluation scheme and seeds. <see cref="Load"/> validates everything (unknown names,
/// out-of-range values) before any work and reports every problem with its JSON path and the allowed values.
/// </summary>
public sealed record ExperimentSpec
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required DatasetSpec Dataset { get; init; }
    public FeatureSpec Features { get; init; } = new();
    public required IReadOnlyList<ModelSpec> Models { get; init; }
    /// <summary>One or more evaluation schemes; each produces its own tables (e.g. EMOPIA's official split and grouped 2-fold CV).</summary>
    public required IReadOnlyList<EvaluationSpec> Evaluations { get; init; }

    /// <summary>Optional second dataset to test on (train on <see cref="Dataset"/>, test here), for cross-dataset runs.</summary>
    public DatasetSpec? TestDataset { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads and validates a spec file; errors name the file, the field and the allowed values.</summary>
    public static ExperimentSpec Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new ExperimentSpecException($"{path}: cannot read experiment file: {e.Message}"); }
        return Parse(text, path);
    }

    public static ExperimentSpec Parse(string json, string source = "experiment")
    {
        ExperimentSpec? spec;
        try { spec = JsonSerializer.Deserialize<ExperimentSpec>(json, Json); }
        catch (JsonException e)
        {
            throw new ExperimentSpecException($"{source}: {e.Message.Split(" Path:")[0]} (at {e.Path ?? "$"}, line {e.LineNumber + 1})");
        }
        if (spec is null) throw new ExperimentSpecException($"{source}: the file is empty or 'null'");
        var problems = spec.Validate();
        if (problems.Count > 0) throw new ExperimentSpecException($"{source}: " + string.Join("; ", problems));
        return spec;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Every problem in the spec (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) p.Add("name must not be empty");
        Dataset.Validate("dataset", p);
        TestDataset?.Validate("testDataset", p);
        Features.Validate("features", p);
        if (Models.Count == 0) p.Add("models must list at least one model");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Models.Count; i++)
        {
            Models[i].Validate($"models[{i}]", p, Features.Kind);
            if (!names.Add(Models[i].Name)) p.Add($"models[{i}].name = '{Models[i].Name}' is used twice; model names must be unique");
        }
        if (Evaluations.Count == 0) p.Add("evaluations must list at least one evaluation scheme");
        for (int i = 0; i < Evaluations.Count; i++)
        {
            Evaluations[i].Validate($"evaluations[{i}]", p, Dataset);
            if ((TestDataset is not null) != (Evaluations[i].Scheme == EvaluationScheme.TrainTest))
                p.Add($"evaluations[{i}].scheme = {Evaluations[i].Scheme}: train-test needs testDataset, and testDataset needs train-test");
        }
        return p;
    }
}

public enum DatasetKind { Synthetic, Emopia, Vgmidi, Folder }

/// <summary>Where the clips come from and how MIDI is rendered.</summary>
public sealed record DatasetSpec
{
    public required DatasetKind Kind { get; init; }
    /// <summary>Dataset folder (emopia/vgmidi/folder); relative paths are relative to the repository/working directory.</summary>
    public string? Source { get; init; }
    /// <summary>Synthetic corpus size.</summary>
    public int Clips { get; init; } = 400;
    public int Seed { get; init; } = 1;
    /// <summary><c>builtin</c> (default, needs nothing) or <c>fluidsynth</c>.</summary>
    public string Renderer { get; init; } = "builtin";
    public int SampleRate { get; init; } = 16000;
    /// <summary>Keep at most this many clips per class (a deterministic subset: clips sorted by id, whole songs kept
    /// together, first songs first) — for quick looks and notebooks; null = every clip.</summary>
    public int? MaxClipsPerClass { get; init; }

    internal void Validate(string at, List<string> p)
    {
        if (MaxClipsPerClass is < 1) p.Add($"{at}.maxClipsPerClass = {MaxClipsPerClass} must be >= 1 or absent");
        if (Kind != DatasetKind.Synthetic && string.IsNullOrWhiteSpace(Source))
            p.Add($"{at}.source is required for kind {Kind.ToString().ToLowerInvariant()} (the dataset folder)");
        if (Kind == DatasetKind.Synthetic && (Clips < 8 || Clips > 100_000)) p.Add($"{at}.clips = {Clips} must be in [8, 100000]");
        if (Renderer is not ("builtin" or "fluidsynth")) p.Add($"{at}.renderer = '{Renderer}' is not known (allowed: builtin, fluidsynth)");
        if (SampleRate is < 8000 or > 96000) p.Add($"{at}.sampleRate = {SampleRate} must be in [8000, 96000]");
    }
}

/// <summary>The segment-level LLD features of the piano-emotion method and how they are normalised.</summary>
public sealed record FeatureSpec
{
    /// <summary>
    /// <c>lld</c> (50-dim segment descriptors: the LSTM reads the segment sequence, classical models its mean/std pooling)
    /// or <c>mfcc</c> (clip-level statistics of librosa-convention MFCCs: 20 means + 20 standard deviations over all
    /// frames of the whole clip — the scikit-learn reference features; classical models only). A model can override
    /// it with its own <see cref="ModelSpec.Features"/>.
    /// </summary>
    public string Kind { get; init; } = "lld";
    public double SegmentSeconds { get; init; } = 3.0;
    public double Overlap { get; init; } = 0.0;
    /// <summary><c>minmax</c> (the method's choice, fitted on training folds only) or <c>none</c>.</summary>
    public string Normalization { get; init; } = "minmax";
    /// <summary>How to treat the near-silent release tail at the end of rendered clips: <c>trim</c>, <c>keep</c>.</summary>
    public string Tail { get; init; } = "trim";

    internal void Validate(string at, List<string> p)
    {
        if (Kind is not ("lld" or "mfcc")) p.Add($"{at}.kind = '{Kind}' is not known (allowed: lld, mfcc)");
        if (SegmentSeconds is < 0.5 or > 30) p.Add($"{at}.segmentSeconds = {SegmentSeconds} must be in [0.5, 30]");
        if (Overlap is < 0 or >= 1) p.Add($"{at}.overlap = {Overlap} must be in [0, 1)");
        if (Normalization is not ("minmax" or "none")) p.Add($"{at}.normalization = '{Normalization}' is not known (allowed: minmax, none)");
        if (Tail is not ("trim" or "keep")) p.Add($"{at}.tail = '{Tail}' is not known (allowed: trim, keep)");
    }
}

/// <summary>One model row of the ablation: its display name, its type and hyperparameters (validated by the model's factory).</summary>
public sealed record ModelSpec
{
    public required string Name { get; init; }
    /// <summary>One of <see cref="KnownTypes"/>.</summary>
    public required string Type { get; init; }
    /// <summary>Hyperparameters by name (PyTorch/sklearn names, e.g. <c>layers</c>, <c>hidden</c>, <c>lr</c>, <c>c</c>, <c>gamma</c>).</summary>
    public Dictionary<string, JsonElement> Params { get; init; } = new();
    /// <summary>The features this model reads (<c>lld</c> or <c>mfcc</c>, see <see cref="FeatureSpec.Kind"/>); null = the experiment's <c>features.kind</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Features { get; init; }

    public static readonly string[] KnownTypes = ["lstm", "svm", "lda", "logreg"];

    /// <summary>The feature kind this model reads in an experiment whose <c>features.kind</c> is <paramref name="experimentKind"/>.</summary>
    public string FeatureKind(string experimentKind) => Features ?? experimentKind;

    internal void Validate(string at, List<string> p, string experimentKind = "lld")
    {
        if (string.IsNullOrWhiteSpace(Name)) p.Add($"{at}.name must not be empty");
        if (!KnownTypes.Contains(Type)) p.Add($"{at}.type = '{Type}' is not a known model (allowed: {string.Join(", ", KnownTypes)})");
        if (Features is not (null or "lld" or "mfcc")) p.Add($"{at}.features = '{Features}' is not known (allowed: lld, mfcc)");
        else if (Type == "lstm" && FeatureKind(experimentKind) == "mfcc")
            p.Add($"{at} ('{Name}'): an lstm model reads the LLD segment sequence; mfcc features are clip-level statistics for svm, lda and logreg (set this model's \"features\": \"lld\")");
    }
}

public enum EvaluationScheme
{
    /// <summary>The dataset's official train/test split (validation part used for early stopping).</summary>
    OfficialSplit,
    /// <summary>k-fold CV with groups (songs) never split across folds, stratified by class, repeated.</summary>
    GroupedKfold,
    /// <summary>Stratified k-fold CV, repeated.</summary>
    StratifiedKfold,
    /// <summary>Train on the whole <c>dataset</c>, test on <c>testDataset</c>.</summary>
    TrainTest,
}

public sealed record EvaluationSpec
{
    public required EvaluationScheme Scheme { get; init; }
    /// <summary>Folds per repeat; the paper's "50 % cross-validation" is 2.</summary>
    public int Folds { get; init; } = 2;
    public int Repeats { get; init; } = 1;
    public int Seed { get; init; } = 1;
    /// <summary>Bootstrap resamples for the 95 % confidence intervals.</summary>
    public int Bootstrap { get; init; } = 1000;

    internal void Validate(string at, List<string> p, DatasetSpec data)
    {
        if (Folds is < 2 or > 50) p.Add($"{at}.folds = {Folds} must be in [2, 50]");
        if (Repeats is < 1 or > 100) p.Add($"{at}.repeats = {Repeats} must be in [1, 100]");
        if (Bootstrap is < 0 or > 100_000) p.Add($"{at}.bootstrap = {Bootstrap} must be in [0, 100000]");
        if (Scheme == EvaluationScheme.OfficialSplit && data.Kind is DatasetKind.Vgmidi)
            p.Add($"{at}.scheme = official-split is not available for vgmidi (it has no official split; use grouped-kfold)");
    }
}
