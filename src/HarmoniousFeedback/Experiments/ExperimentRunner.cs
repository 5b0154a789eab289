using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// Runs an <see cref="ExperimentSpec"/> end to end on this machine, in three parts: <see cref="ExperimentPlan"/>
/// (spec → validated models, views and units), <see cref="UnitExecutor"/> (unit → test predictions) and
/// <see cref="RunSummarizer"/> (predictions → metrics, tables, figures). Before the units it prepares (renders) the
/// datasets into <c>data/</c> and extracts every feature view the models read (cached on disk). Each completed unit is
/// saved in the run folder as it finishes and reused when the run is started again; the run folder then gets
/// <c>manifest.json</c> (config, seeds, data hash, commit, machine, timings) and the deterministic <c>metrics.json</c>.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly ExperimentSpec _spec;
    private readonly RunnerOptions _options;
    private readonly IExperimentObserver? _observer;

    /// <summary>Validates everything that can be validated before any work: the spec, every model's hyperparameters and views, the dataset folders.</summary>
    /// <exception cref="ExperimentSpecException">Every problem found, with its JSON path.</exception>
    public ExperimentRunner(ExperimentSpec spec, RunnerOptions? options = null, IExperimentObserver? observer = null,
                            ModelRegistry? models = null, FeatureViewRegistry? views = null)
    {
        _spec = spec;
        _options = options ?? new RunnerOptions();
        _observer = observer;
        if (_options.Threads < 1) throw new ExperimentSpecException($"threads = {_options.Threads} must be >= 1");
        if (_options.ParallelUnits < 1) throw new ExperimentSpecException($"parallel units = {_options.ParallelUnits} must be >= 1");
        Plan = ExperimentPlan.Create(spec, models, views);
        foreach (var (ds, at) in new[] { (spec.Dataset, "dataset"), (spec.TestDataset, "testDataset") })
            if (ds is { Kind: not DatasetKind.Synthetic, SyntheticFeedback: false } && !Directory.Exists(ResolveSource(ds)))
                throw new ExperimentSpecException($"{spec.Name}: {at}.source = '{ds.Source}' does not exist (resolved to {ResolveSource(ds)})");
    }

    /// <summary>The validated plan (models with typed options, feature views).</summary>
    public ExperimentPlan Plan { get; }

    /// <summary>A dataset source: absolute, or relative to the spec file's folder (or <see cref="RunnerOptions.BaseDirectory"/> for a spec without a file).</summary>
    private string ResolveSource(DatasetSpec ds) => Path.GetFullPath(Path.Combine(_spec.Directory ?? _options.BaseDirectory, ds.Source ?? ""));

    /// <summary>Runs everything on this machine: <see cref="Prepare"/>, every unit (in parallel, completed ones reused), <see cref="Summarize"/>.</summary>
    public RunResult Run(CancellationToken cancellation = default)
    {
        var prepared = Prepare(cancellation);
        int computed = 0, reused = 0;
        var done = new int[prepared.Schemes.Count];
        ParallelUnits(prepared.Units.Count, cancellation, i =>
        {
            var (schemeIndex, unit) = prepared.Units[i];
            var result = ExecuteUnit(prepared, i, out bool wasReused);
            Interlocked.Increment(ref wasReused ? ref reused : ref computed);
            var scheme = prepared.Schemes[schemeIndex];
            _observer?.UnitFinished(scheme.Name, unit.Model.Name, unit.Split.Repeat, unit.Split.Fold, Interlocked.Increment(ref done[schemeIndex]), scheme.Units.Count, wasReused, result.Accuracy);
        });
        return Summarize(prepared, computed, reused);
    }

    /// <summary>
    /// The work every unit needs, done once: prepares (renders) the datasets, indexes the clips, extracts every feature
    /// view (cached on disk), opens the run folder and plans the units. Idempotent: a second call renders and extracts
    /// nothing new.
    /// </summary>
    public PreparedRun Prepare(CancellationToken cancellation = default)
    {
        var started = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var timings = new JsonObject();
        var sw = Stopwatch.StartNew();
        var train = PrepareDataset(_spec.Dataset, cancellation);
        var test = _spec.TestDataset is null ? null : PrepareDataset(_spec.TestDataset, cancellation);
        var clips = ClipIndex.From(train, test);
        timings["prepareSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 3);

        sw.Restart();
        var table = BuildTable(clips, cancellation);
        timings["featureSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 3);

        string dataHash = train.Manifest.ManifestHash + (test is null ? "" : "+" + test.Manifest.ManifestHash);
        var run = RunFolder.Open(_options.ResultsRoot, _spec, dataHash, _options.Fresh);
        _observer?.Stage($"run folder {run.Path}");
        return new PreparedRun(train, test, clips, table, run, Plan.Units(clips), timings, started, total);
    }

    /// <summary>
    /// Unit <paramref name="index"/> of <see cref="PreparedRun.Units"/>: loaded from the run folder when an earlier run
    /// completed it (<paramref name="reused"/>), else trained, tested and saved there atomically. Safe to call from
    /// several threads or processes at once for different units.
    /// </summary>
    public UnitResult ExecuteUnit(PreparedRun prepared, int index, out bool reused)
    {
        if (index < 0 || index >= prepared.Units.Count)
            throw new ExperimentSpecException($"{_spec.Name}: unit {index} does not exist (the plan has {prepared.Units.Count} units, 0 … {prepared.Units.Count - 1})");
        var unit = prepared.Units[index].Unit;
        reused = prepared.Run.TryLoadUnit<UnitResult>(unit.Key, out var result) && result.Predictions.Count == unit.Split.Test.Length;
        if (reused) return result;
        result = new UnitExecutor(Plan, prepared.Table).Execute(unit);
        prepared.Run.SaveUnit(unit.Key, result);
        return result;
    }

    /// <summary>
    /// Reads every unit's result from the run folder and writes the summary (metrics.json, tables, figures,
    /// predictions.csv) and manifest.json. Every unit must be complete; otherwise a <see cref="RunIncompleteException"/>
    /// lists the missing ones.
    /// </summary>
    public RunResult Summarize(PreparedRun prepared, int computed = 0, int? reused = null)
    {
        var missing = new List<string>();
        var unitTimes = new JsonObject();
        var results = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<UnitResult>>>(StringComparer.Ordinal);
        foreach (var scheme in prepared.Schemes)
        {
            var unitResults = new List<(PlannedUnit Unit, UnitResult Result)>();
            foreach (var unit in scheme.Units)
            {
                if (prepared.Run.TryLoadUnit<UnitResult>(unit.Key, out var r) && r.Predictions.Count == unit.Split.Test.Length)
                {
                    unitResults.Add((unit, r));
                    unitTimes[unit.Key] = Math.Round(r.FitSeconds, 3);
                }
                else missing.Add(unit.Key);
            }
            results[scheme.Name] = Plan.Models.ToDictionary(m => m.Name,
                m => (IReadOnlyList<UnitResult>)unitResults.Where(t => t.Unit.Model == m).Select(t => t.Result).ToList(), StringComparer.Ordinal);
        }
        if (missing.Count > 0) throw new RunIncompleteException(prepared.Run.Path, missing, prepared.Units.Count);

        var summary = new RunSummarizer(Plan, prepared.Clips, prepared.Train, prepared.Test).Summarize(prepared.Schemes, results, prepared.Run);
        var timings = prepared.Timings.DeepClone().AsObject();
        timings["totalSeconds"] = Math.Round(prepared.Clock.Elapsed.TotalSeconds, 3);
        var manifest = new JsonObject
        {
            ["experiment"] = _spec.Name,
            ["runId"] = prepared.Run.RunId,
            ["config"] = JsonNode.Parse(_spec.ToJson()),
            ["dataset"] = new JsonObject { ["manifestHash"] = prepared.Train.Manifest.ManifestHash, ["folder"] = prepared.Train.Directory, ["testManifestHash"] = prepared.Test?.Manifest.ManifestHash },
            ["gitCommit"] = Provenance.GitCommit(_options.BaseDirectory),
            ["codeId"] = RunFolder.CodeId,
            ["machine"] = Provenance.Machine(),
            ["threads"] = _options.Threads,
            ["startedUtc"] = prepared.Started.ToString("O", CultureInfo.InvariantCulture),
            ["finishedUtc"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["timings"] = timings,
            ["unitFitSeconds"] = unitTimes,
            ["unitsComputed"] = computed,
            ["unitsReused"] = reused ?? prepared.Units.Count - computed,
        };
        prepared.Run.WriteText("manifest.json", RunFolder.CanonicalJson(manifest));
        return new RunResult(prepared.Run.Path, summary.Table1, summary.Table2, summary.Significance, computed, reused ?? prepared.Units.Count - computed, prepared.Clock.Elapsed)
        {
            Predictions = summary.Predictions,
            Feedback = summary.Feedback,
        };
    }

    /// <summary>Runs <paramref name="body"/> for 0 … n − 1 on up to <see cref="RunnerOptions.ParallelUnits"/> threads; the first error is rethrown as itself.</summary>
    private void ParallelUnits(int n, CancellationToken cancellation, Action<int> body)
    {
        try
        {
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = _options.ParallelUnits, CancellationToken = cancellation }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private PreparedData PrepareDataset(DatasetSpec ds, CancellationToken cancellation)
    {
        if (ds.Kind == DatasetKind.Feedback) return PrepareFeedback(ds, cancellation);
        Dataset dataset = ds.Kind switch
        {
            DatasetKind.Synthetic => SyntheticCorpus.Create(new SyntheticCorpusOptions { Clips = ds.Clips, Seed = ds.Seed }),
            DatasetKind.Emopia => EmopiaDataset.Load(ResolveSource(ds)),
            DatasetKind.Vgmidi => VgmidiDataset.Load(ResolveSource(ds)),
            _ => FolderDataset.Load(ResolveSource(ds)),
        };
        string name = ds.Kind == DatasetKind.Synthetic ? $"synthetic-{ds.Clips}-s{ds.Seed}" : $"{ds.Kind.ToString().ToLowerInvariant()}";
        if (ds.MaxClipsPerClass is int cap)
        {
            dataset = dataset.WithAtMostPerClass(cap);
            name += $"-max{cap}";
        }
        CheckViewsAvailable(dataset, name);
        string dir = Path.GetFullPath(Path.Combine(_options.DataRoot, $"{name}-{ds.Renderer}-{ds.SampleRate}"));
        IMidiRenderer? renderer = dataset.Clips.Any(c => c.AudioPath is null)
            ? ds.Renderer == "fluidsynth"
                ? new FluidSynthRenderer(new FluidSynthOptions { SampleRate = ds.SampleRate })
                : new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = ds.SampleRate })
            : null;
        _observer?.Stage($"preparing {name} ({dataset.Clips.Count} clips, renderer {ds.Renderer}) in {dir}");
        var result = DatasetPreparer.Prepare(dataset, renderer, new PrepareOptions
        {
            OutputDirectory = dir,
            CacheDirectory = Path.GetFullPath(Path.Combine(_options.DataRoot, "cache", "render")),
            Threads = _options.Threads,
            SampleRate = ds.SampleRate, // the spec's rate is the request to resample recordings at other rates
        }, p => _observer?.Progress($"prepare {name}", p.Done, p.Total), cancellation);
        return new PreparedData(dataset, result.Manifest, dir, name);
    }

    /// <summary>
    /// The teaching-feedback corpus (as <c>hfb data prepare feedback</c>): built from the embedded synthetic pieces or an
    /// EMOPIA/VGMIDI folder, rendered by every renderer into <c>data/feedback-…</c> (incremental), loaded with its labels.
    /// </summary>
    private PreparedData PrepareFeedback(DatasetSpec ds, CancellationToken cancellation)
    {
        var options = new FeedbackCorpusOptions
        {
            Seed = ds.Seed,
            ExcerptSeconds = ds.ExcerptSeconds ?? new FeedbackCorpusOptions().ExcerptSeconds,
            MaxPieces = ds.SyntheticFeedback ? null : ds.MaxPieces,
            Plan = new RenditionPlanOptions { Renditions = ds.Renditions ?? new RenditionPlanOptions().Renditions },
            Threads = _options.Threads,
        };
        Dataset source;
        string sourceName;
        if (ds.SyntheticFeedback)
        {
            source = SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = ds.MaxPieces ?? FeedbackCorpus.EmbeddedSourceOptions.Clips, Seed = (int)ds.Seed });
            sourceName = $"synthetic{source.Clips.Count}";
        }
        else
        {
            var folder = ResolveSource(ds);
            source = File.Exists(Path.Combine(folder, VgmidiDataset.LabelFile)) ? VgmidiDataset.Load(folder) : EmopiaDataset.Load(folder);
            sourceName = source.Name + (ds.MaxPieces is { } m ? $"-max{m}" : "");
        }
        var renderers = FeedbackRenderers.Parse(ds.FeedbackRenderers, ds.SampleRate);
        string name = $"feedback-{sourceName}-s{ds.Seed}-r{options.Plan.Renditions}-x{options.ExcerptSeconds.ToString(CultureInfo.InvariantCulture)}";
        string dir = Path.GetFullPath(Path.Combine(_options.DataRoot, $"{name}-{string.Join("+", renderers.Select(r => r.Name))}-{ds.SampleRate}"));
        _observer?.Stage($"building the teaching-feedback corpus from {source.Name} ({source.Clips.Count} pieces, {options.Plan.Renditions} renditions each)");
        var draft = FeedbackCorpus.Build(source, options, cancellation);
        int renders = (draft.References.Count + draft.Renditions.Count) * renderers.Count;
        _observer?.Stage($"rendering {draft.References.Count} references and {draft.Renditions.Count} renditions with {string.Join(", ", renderers.Select(r => r.Name))} into {dir}");
        int done = 0;
        FeedbackCorpusPreparer.Prepare(draft, renderers, new PrepareOptions
        {
            OutputDirectory = dir,
            CacheDirectory = Path.GetFullPath(Path.Combine(_options.DataRoot, "cache", "render")),
            Threads = _options.Threads,
        }, _ => _observer?.Progress($"prepare {name}", Interlocked.Increment(ref done), renders), cancellation);
        var fb = FeedbackDataset.Load(dir);
        return new PreparedData(fb.Dataset, fb.Dataset.Manifest!, dir, name) { Feedback = fb };
    }

    /// <summary>
    /// Before any rendering or extraction: every view the models read must be computable for every clip of the loaded
    /// dataset (e.g. score features need MIDI; an audio-only folder has none). Fails with the view, the first clips that
    /// lack it and why.
    /// </summary>
    private void CheckViewsAvailable(Dataset dataset, string name)
    {
        var problems = new List<string>();
        foreach (var view in Plan.ViewOrder)
        {
            // a clip whose score the dataset generates (synthetic corpus) gets its MIDI file at preparation
            var missing = dataset.Clips.Select(c => Plan.Views[view].Missing(new ViewClip(c.Id, c.AudioPath ?? "",
                c.MidiPath ?? (dataset.Scores.ContainsKey(c.Id) ? $"{c.Id}.mid" : null), c.Text))).Where(m => m is not null).ToList();
            if (missing.Count > 0)
                problems.Add($"view '{view}' is missing for {missing.Count} of {dataset.Clips.Count} clips of dataset {name}: {string.Join("; ", missing.Take(3))}{(missing.Count > 3 ? "; …" : "")}");
        }
        if (problems.Count > 0) throw new DatasetException($"{_spec.Name}: {string.Join(" | ", problems)}");
    }

    /// <summary>The feature table: <c>Id</c>, <c>Group</c>, <c>Label</c>, <c>Split</c>, then one column per view the models read, extracted per dataset part (cached); for a teaching-feedback corpus also its targets (<see cref="Pipeline.Trainers.FeedbackColumns"/>).</summary>
    private DataTable BuildTable(ClipIndex clips, CancellationToken cancellation)
    {
        var columns = new List<DataColumn>
        {
            new DataColumn<string>("Id", ColumnType.String, clips.Ids.ToArray()),
            new DataColumn<string>("Group", ColumnType.String, clips.Groups.ToArray()),
            new DataColumn<string>("Label", ColumnType.String, clips.Labels.ToArray()),
            new DataColumn<string>("Split", ColumnType.String, clips.Assignment.ToArray()),
        };
        if (clips.HasFeedbackTargets)
        {
            var encoded = clips.FeedbackTargets.Select(t => Pipeline.Trainers.FeedbackColumns.Encode(t!)).ToArray();
            columns.Add(new DataColumn<float[]>(new SchemaColumn(Pipeline.Trainers.FeedbackColumns.Targets, Pipeline.Trainers.FeedbackColumns.TargetsType)
            { SlotNames = Pipeline.Trainers.FeedbackColumns.TargetSlots }, encoded.Select(e => e.Targets).ToArray()));
            columns.Add(new DataColumn<Features.FeatureMatrix>(new SchemaColumn(Pipeline.Trainers.FeedbackColumns.Spans, Pipeline.Trainers.FeedbackColumns.SpansType)
            { SlotNames = Pipeline.Trainers.FeedbackColumns.SpanSlots }, encoded.Select(e => e.Spans).ToArray()));
        }
        var cache = Path.GetFullPath(Path.Combine(_options.DataRoot, "cache", "features"));
        var renderCache = Path.GetFullPath(Path.Combine(_options.DataRoot, "cache", "render"));
        foreach (var name in Plan.ViewOrder)
        {
            var view = Plan.Views[name];
            var values = new List<object>(clips.Count);
            foreach (var part in clips.Parts)
            {
                var sources = clips.Sources.Skip(part.Start).Take(part.Count).ToArray();
                var missing = sources.Select(view.Missing).FirstOrDefault(m => m is not null);
                if (missing is not null)
                    throw new DatasetException($"{_spec.Name}: view '{name}' cannot be computed for dataset {part.Name}: {missing}");
                values.AddRange(view.Extract(sources, new ViewExtraction
                {
                    CacheDirectory = cache, RenderCacheDirectory = renderCache, Threads = _options.Threads, Label = part.Name, Cancellation = cancellation,
                    Stage = m => _observer?.Stage(m), Progress = (t, d, n) => _observer?.Progress(t, d, n),
                }));
            }
            columns.Add(DataColumn.FromBoxed(view.Column(ExperimentPlan.ColumnOf(name)), values));
        }
        return new DataTable(columns);
    }
}
