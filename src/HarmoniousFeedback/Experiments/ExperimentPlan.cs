using System.Security.Cryptography;
using System.Text;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The first part of a run: spec → what to compute. <see cref="Create"/> resolves every model row through the model
/// registry (typed, validated options), every feature view through the view registry, and checks that each model can
/// read the views it is given — all before any data is touched. <see cref="Units"/> then turns the prepared clips
/// (labels, groups, official split; no audio) into the units of every evaluation scheme, each with its deterministic
/// seed. The other parts are <see cref="UnitExecutor"/> (unit → predictions) and <see cref="RunSummarizer"/>
/// (predictions → metrics, tables, figures, files); <see cref="ExperimentRunner"/> strings them together.
/// </summary>
public sealed class ExperimentPlan
{
    private ExperimentPlan(ExperimentSpec spec, IReadOnlyList<PlannedModel> models, IReadOnlyDictionary<string, ConfiguredView> views)
    {
        Spec = spec;
        Models = models;
        Views = views;
    }

    public ExperimentSpec Spec { get; }

    /// <summary>The model rows, in spec order.</summary>
    public IReadOnlyList<PlannedModel> Models { get; }

    /// <summary>Every view some model reads, by name, in order of first use.</summary>
    public IReadOnlyDictionary<string, ConfiguredView> Views { get; }

    /// <summary>
    /// The number of units, from the spec alone (no data needed): Σ over schemes of models × splits, where the official
    /// split and train-test schemes have one split and k-fold schemes folds × repeats. The index of a unit in
    /// <see cref="PreparedRun.Units"/> runs over the same order (scheme, model, split).
    /// </summary>
    public int UnitCount => Spec.Evaluations.Sum(e => Models.Count * SplitCount(e));

    /// <summary>How many splits scheme <paramref name="e"/> makes.</summary>
    public static int SplitCount(EvaluationSpec e) => e.Scheme is EvaluationScheme.OfficialSplit or EvaluationScheme.TrainTest ? 1 : e.Folds * e.Repeats;

    /// <summary>The view names in order of first use (the column order of the feature table).</summary>
    public IReadOnlyList<string> ViewOrder => Models.SelectMany(m => m.Views).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Validates <paramref name="spec"/> against the registries (default: the process-wide ones) and plans it.</summary>
    /// <exception cref="ExperimentSpecException">Every problem, with its JSON path.</exception>
    public static ExperimentPlan Create(ExperimentSpec spec, ModelRegistry? models = null, FeatureViewRegistry? views = null)
    {
        models ??= ModelRegistry.Default;
        views ??= FeatureViewRegistry.Default;
        var problems = spec.Validate(models, views).ToList();
        if (problems.Count > 0) throw new ExperimentSpecException($"{spec.Name}: " + string.Join("; ", problems));
        var configuredViews = new Dictionary<string, ConfiguredView>(StringComparer.Ordinal);
        var planned = new List<PlannedModel>();
        for (int i = 0; i < spec.Models.Count; i++)
        {
            bool sweep = spec.Models[i].Grid is not null || spec.Models[i].Seeds is not null;
            foreach (var (row, point, seed) in spec.Models[i].Expand())
            {
                var (model, names) = Resolve(spec, row, $"models[{i}]", models, views, configuredViews, problems);
                if (model is not null)
                    planned.Add(new PlannedModel(row, model, names) { SweepOf = sweep ? spec.Models[i].Name : null, SweepPoint = point, SweepSeed = seed });
            }
        }
        foreach (var dup in planned.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"model name '{dup.Key}' occurs {dup.Count()} times after expanding sweeps; names must be unique");
        if (problems.Count > 0) throw new ExperimentSpecException($"{spec.Name}: " + string.Join("; ", problems.Distinct()));
        return new ExperimentPlan(spec, planned, configuredViews);
    }

    /// <summary>Adds a problem for every model row the registries reject (type, hyperparameters, views); used by <see cref="ExperimentSpec.Validate"/>.</summary>
    internal static void CheckModels(ExperimentSpec spec, ModelRegistry models, FeatureViewRegistry views, List<string> problems)
    {
        var configured = new Dictionary<string, ConfiguredView>(StringComparer.Ordinal);
        for (int i = 0; i < spec.Models.Count; i++)
            foreach (var (row, _, _) in spec.Models[i].Expand()) Resolve(spec, row, $"models[{i}]", models, views, configured, problems);
    }

    private static (ConfiguredModel? Model, IReadOnlyList<string> Views) Resolve(ExperimentSpec spec, ModelSpec m, string at, ModelRegistry models,
        FeatureViewRegistry views, Dictionary<string, ConfiguredView> configuredViews, List<string> problems)
    {
        if (!models.TryGet(m.Type, out var kind))
        {
            problems.Add($"{at}.type = '{m.Type}' is not a known model (allowed: {string.Join(", ", models.Names)})");
            return (null, []);
        }
        ConfiguredModel model;
        try { model = kind.Configure(m.Params, $"{at}.params"); }
        catch (OptionsValidationException e)
        {
            foreach (var p in e.Problems) problems.Add(p.StartsWith(at, StringComparison.Ordinal) ? p : $"{at} ('{m.Name}'): {p}");
            return (null, []);
        }
        var names = m.ViewNames(spec.Features.Kind, model);
        var inputs = new List<ModelInput>();
        foreach (var name in names)
        {
            var view = ConfigureView(spec, name, views, configuredViews, problems, $"{at}.views");
            if (view is not null) inputs.Add(new ModelInput(name, ColumnOf(name), view.Type));
        }
        if (inputs.Count == names.Count)
        {
            var viewProblems = new List<string>();
            model.CheckInputs(inputs, viewProblems);
            foreach (var p in viewProblems) problems.Add($"{at} ('{m.Name}'): {p}");
        }
        return (model, names);
    }

    private static ConfiguredView? ConfigureView(ExperimentSpec spec, string name, FeatureViewRegistry views,
        Dictionary<string, ConfiguredView> configured, List<string> problems, string at)
    {
        if (configured.TryGetValue(name, out var done)) return done;
        if (!views.TryGet(name, out var view))
        {
            problems.Add($"{at}: '{name}' is not a known feature view (allowed: {string.Join(", ", views.Names)})");
            return null;
        }
        try
        {
            var parameters = spec.Features.Views?.GetValueOrDefault(name);
            return configured[name] = view.Configure(parameters, spec.Features.Defaults(spec.Dataset.SampleRate), $"features.views.{name}");
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Problems);
            return null;
        }
    }

    /// <summary>The feature-table column that holds view <paramref name="view"/>.</summary>
    public static string ColumnOf(string view) => view;

    /// <summary>The units of every evaluation scheme on <paramref name="clips"/>, in spec order (scheme, then model, then split).</summary>
    public IReadOnlyList<SchemePlan> Units(ClipIndex clips)
    {
        var schemes = new List<SchemePlan>();
        foreach (var eval in Spec.Evaluations)
        {
            string scheme = SchemeName(eval);
            var splits = Splits(eval, clips);
            if (splits.Count != SplitCount(eval)) // the unit count of a cluster submission is computed from the spec alone
                throw new CrossValidationException(scheme, [$"made {splits.Count} splits where the spec asks for {SplitCount(eval)}"]);
            var units = new List<PlannedUnit>();
            foreach (var model in Models)
                foreach (var split in splits)
                    units.Add(new PlannedUnit(scheme, model, split, StableSeed($"{eval.Seed}/{scheme}/{model.Name}/{split.Repeat}/{split.Fold}")));
            schemes.Add(new SchemePlan(scheme, eval, splits, units));
        }
        return schemes;
    }

    private IReadOnlyList<DataSplit> Splits(EvaluationSpec eval, ClipIndex clips)
    {
        var labels = clips.Labels.ToArray();
        var groups = clips.Groups.ToArray();
        var assignment = clips.Assignment.ToArray();
        switch (eval.Scheme)
        {
            case EvaluationScheme.OfficialSplit:
                if (assignment.Any(string.IsNullOrEmpty))
                    throw new ExperimentSpecException($"{Spec.Name}: evaluation scheme official-split needs an official split, but dataset {Spec.Dataset.Kind.ToString().ToLowerInvariant()} has clips without one (use grouped-kfold)");
                return new PredefinedSplit(assignment, "test", ["train", "val"]).Split(clips.Count, labels, groups);
            case EvaluationScheme.TrainTest:
                return new PredefinedSplit(assignment, "test", ["train"]).Split(clips.Count, labels, groups);
            case EvaluationScheme.StratifiedKfold:
                return RepeatedCrossValidator.StratifiedKFold(eval.Folds, eval.Repeats, eval.Seed).Split(clips.Count, labels, groups);
            default:
                return RepeatedCrossValidator.StratifiedGroupKFold(eval.Folds, eval.Repeats, eval.Seed).Split(clips.Count, labels, groups);
        }
    }

    /// <summary>The scheme's folder and table name: <c>official-split</c>, <c>train-test</c>, <c>stratified-5fold-x2</c>, <c>grouped-2fold-x3</c>.</summary>
    public static string SchemeName(EvaluationSpec e) => e.Scheme switch
    {
        EvaluationScheme.OfficialSplit => "official-split",
        EvaluationScheme.TrainTest => "train-test",
        EvaluationScheme.StratifiedKfold => $"stratified-{e.Folds}fold-x{e.Repeats}",
        _ => $"grouped-{e.Folds}fold-x{e.Repeats}",
    };

    /// <summary>A sentence describing the scheme (metrics.json, captions).</summary>
    public static string SchemeDescription(EvaluationSpec e) => e.Scheme switch
    {
        EvaluationScheme.OfficialSplit => "official split: train+val → test",
        EvaluationScheme.TrainTest => "train on dataset, test on testDataset",
        EvaluationScheme.StratifiedKfold => $"stratified {e.Folds}-fold CV, {e.Repeats} repeat(s), seed {e.Seed}",
        _ => $"song-grouped stratified {e.Folds}-fold CV, {e.Repeats} repeat(s), seed {e.Seed}",
    };

    /// <summary>A model name as a file-name part: lower case, letters/digits/'+' kept, anything else '-'.</summary>
    public static string Slug(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s.ToLowerInvariant()) sb.Append(char.IsLetterOrDigit(ch) ? ch : ch == '+' ? "+" : "-");
        return sb.ToString().Trim('-');
    }

    /// <summary>A 31-bit seed from text: the first 4 bytes of SHA-256 (the same on every machine and .NET version).</summary>
    public static int StableSeed(string text) => (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text))) & 0x7FFFFFFF);
}
