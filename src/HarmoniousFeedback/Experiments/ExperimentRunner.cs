using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Trainers;
using HarmoniousFeedback.Pipeline.Transforms;
using HarmoniousFeedback.Plotting;
using HarmoniousFeedback.Reporting;

namespace HarmoniousFeedback.Experiments;

/// <summary>Where a runner reads and writes, and how much it may use.</summary>
public sealed record RunnerOptions
{
    /// <summary>Folder prepared datasets and caches go to (default <c>data/</c>).</summary>
    public string DataRoot { get; init; } = "data";
    /// <summary>Folder run folders go to (default <c>results/</c>).</summary>
    public string ResultsRoot { get; init; } = "results";
    /// <summary>Base for relative dataset sources in the spec (the repository root or working directory).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>Recompute every unit even when a completed one exists.</summary>
    public bool Fresh { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>Receives progress from an <see cref="ExperimentRunner"/> (console progress bars, notebook output).</summary>
public interface IExperimentObserver
{
    void Stage(string message);
    void Progress(string task, int done, int total);
    /// <summary>A unit (model × repeat × fold of one scheme) finished; <paramref name="reused"/> when loaded from an earlier run.</summary>
    void UnitFinished(string scheme, string model, int repeat, int fold, int done, int total, bool reused, double accuracy);
}

/// <summary>A unit's saved result: the test predictions of one model trained on one fold (and its training curve).</summary>
public sealed record UnitResult
{
    public required string Scheme { get; init; }
    public required string Model { get; init; }
    public required int Repeat { get; init; }
    public required int Fold { get; init; }
    public required int TrainCount { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required IReadOnlyList<UnitPrediction> Predictions { get; init; }
    public IReadOnlyList<EpochPoint> Curve { get; init; } = [];
    public double FitSeconds { get; init; }
}

public sealed record UnitPrediction(string ClipId, string Truth, string Predicted, float[] Probabilities);

public sealed record EpochPoint(int Epoch, double Loss, double? ValLoss, double? ValAccuracy);

/// <summary>What a finished run produced.</summary>
/// <summary>What a finished run produced: tables and, per scheme and model, the pooled test predictions.</summary>
public sealed record RunResult(string RunFolder, IReadOnlyDictionary<string, Table> Table1, IReadOnlyDictionary<string, Table> Table2,
                               IReadOnlyDictionary<string, Table> Significance, int UnitsComputed, int UnitsReused, TimeSpan Elapsed)
{
    /// <summary>scheme → model → predictions (every clip once per repeat), for confusion matrices and further tests.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Prediction>>> Predictions { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Prediction>>>();
}

/// <summary>
/// Runs an <see cref="ExperimentSpec"/> end to end: prepares (renders) the dataset into <c>data/</c>, extracts the
/// 50-dim LLD segment features (cached), then for every evaluation scheme and every model trains one unit per fold —
/// min–max normalisation fitted on the training fold only, the LSTM on the segment sequence, classical models on its
/// mean/std pooling — and writes the run folder: <c>manifest.json</c>, deterministic <c>metrics.json</c>,
/// <c>predictions.csv</c>, Table 1/Table 2/significance as Markdown, LaTeX, CSV and HTML, confusion-matrix and
/// training-curve SVGs. Completed units are saved as they finish and reused when the run is started again.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly ExperimentSpec _spec;
    private readonly RunnerOptions _options;
    private readonly IExperimentObserver? _observer;
    private readonly Dictionary<string, object> _modelOptions = new(StringComparer.Ordinal);

    public ExperimentRunner(ExperimentSpec spec, RunnerOptions? options = null, IExperimentObserver? observer = null)
    {
        _spec = spec;
        _options = options ?? new RunnerOptions();
        _observer = observer;
        // Validate everything that can be validated before any work: spec fields, every model's hyperparameters, sources.
        var problems = spec.Validate();
        if (problems.Count > 0) throw new ExperimentSpecException($"{spec.Name}: " + string.Join("; ", problems));
        for (int i = 0; i < spec.Models.Count; i++) _modelOptions[spec.Models[i].Name] = ModelFactory.OptionsFor(spec.Models[i], $"models[{i}]");
        foreach (var (ds, at) in new[] { (spec.Dataset, "dataset"), (spec.TestDataset, "testDataset") })
            if (ds is { Kind: not DatasetKind.Synthetic } && !Directory.Exists(ResolveSource(ds)))
                throw new ExperimentSpecException($"{spec.Name}: {at}.source = '{ds.Source}' does not exist (resolved to {ResolveSource(ds)})");
    }

    private string ResolveSource(DatasetSpec ds) => Path.GetFullPath(Path.Combine(_options.BaseDirectory, ds.Source ?? ""));

    public RunResult Run(CancellationToken cancellation = default)
    {
        var total = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var timings = new JsonObject();

        var sw = Stopwatch.StartNew();
        var train = Prepare(_spec.Dataset, cancellation);
        var test = _spec.TestDataset is null ? null : Prepare(_spec.TestDataset, cancellation);
        timings["prepareSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 3);

        sw.Restart();
        var table = BuildTable(train, test, cancellation);
        timings["featureSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 3);

        string dataHash = train.Manifest.ManifestHash + (test is null ? "" : "+" + test.Manifest.ManifestHash);
        var run = RunFolder.Open(_options.ResultsRoot, _spec, dataHash, _options.Fresh);
        _observer?.Stage($"run folder {run.Path}");

        var labels = table.Column<string>("Label").ToArray();
        var groups = table.Column<string>("Group").ToArray();
        var ids = table.Column<string>("Id").ToArray();
        int computed = 0, reused = 0;
        var allPredictions = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Prediction>>>();
        var t1 = new Dictionary<string, Table>();
        var t2 = new Dictionary<string, Table>();
        var sig = new Dictionary<string, Table>();
        var metrics = new JsonObject
        {
            ["experiment"] = _spec.Name,
            ["dataset"] = DatasetSummary(train, labels, test),
            ["features"] = new JsonObject { ["kind"] = _spec.Features.Kind, ["segmentSeconds"] = _spec.Features.SegmentSeconds, ["overlap"] = _spec.Features.Overlap, ["normalization"] = _spec.Features.Normalization, ["tail"] = _spec.Features.Tail },
        };
        var evals = new JsonObject();
        var unitTimes = new JsonObject();
        var predictionsCsv = new StringBuilder("scheme,model,clip,repeat,fold,truth,prediction");
        var classNames = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var c in classNames) predictionsCsv.Append(",p_").Append(c);
        predictionsCsv.Append('\n');

        foreach (var eval in _spec.Evaluations)
        {
            cancellation.ThrowIfCancellationRequested();
            string scheme = SchemeName(eval);
            var splits = Splits(eval, table, labels, groups);
            var byModel = new Dictionary<string, List<UnitResult>>(StringComparer.Ordinal);
            int unitTotal = splits.Count * _spec.Models.Count, unitDone = 0;
            foreach (var model in _spec.Models)
            {
                byModel[model.Name] = new List<UnitResult>();
                foreach (var split in splits)
                {
                    cancellation.ThrowIfCancellationRequested();
                    string key = $"{scheme}/{Slug(model.Name)}/r{split.Repeat}-f{split.Fold}";
                    bool wasReused = run.TryLoadUnit<UnitResult>(key, out var unit) && unit.Predictions.Count == split.Test.Length;
                    if (!wasReused)
                    {
                        unit = RunUnit(scheme, model, split, table, eval.Seed);
                        run.SaveUnit(key, unit);
                        computed++;
                    }
                    else reused++;
                    byModel[model.Name].Add(unit);
                    unitTimes[key] = Math.Round(unit.FitSeconds, 3);
                    unitDone++;
                    _observer?.UnitFinished(scheme, model.Name, split.Repeat, split.Fold, unitDone, unitTotal, wasReused,
                        unit.Predictions.Count(p => p.Truth == p.Predicted) / (double)Math.Max(1, unit.Predictions.Count));
                }
            }

            // Predictions → metrics, tables, figures.
            var preds = byModel.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Prediction>)kv.Value
                .SelectMany(u => u.Predictions.Select(p => new Prediction(p.ClipId, u.Fold, u.Repeat, p.Truth, p.Predicted,
                    u.Classes.Select((c, k) => (c, k)).ToDictionary(t => t.c, t => (double)p.Probabilities[t.k])))).ToList(), StringComparer.Ordinal);
            var ordered = _spec.Models.Select(m => KeyValuePair.Create(m.Name, preds[m.Name])).ToList();
            var dir = Path.Combine(run.Path, scheme);
            var table1 = PaperTables.Table1(ordered, new Table1Options { Seed = eval.Seed, Caption = $"{_spec.Name} — {scheme}: accuracy and macro-F1 (mean ± std over {splits.Count} fold(s); 95 % bootstrap CI of pooled accuracy)", Label = $"tab:{Slug(_spec.Name)}-{scheme}-t1" });
            var table2 = PaperTables.Table2(ordered, classNames);
            table2.Caption = $"{_spec.Name} — {scheme}: per-class recognition rate (%)";
            var comparison = ModelComparison.Compare(ordered, ClassificationMetric.Accuracy, mcNemarRepeat: 0,
                trainCount: splits.Average(s => (double)s.Train.Length));
            var table3 = PaperTables.Comparison(comparison);
            table1.SaveAll(dir, "table1");
            table2.SaveAll(dir, "table2");
            table3.SaveAll(dir, "significance");
            t1[scheme] = table1; t2[scheme] = table2; sig[scheme] = table3;
            allPredictions[scheme] = preds;

            var modelsJson = new JsonObject();
            foreach (var (name, list) in ordered)
            {
                var report = ClassificationReport.From(list, classNames);
                var ci = Bootstrap.PercentileCi(list, ClassificationMetric.Accuracy, resamples: Math.Max(1, eval.Bootstrap), seed: eval.Seed);
                modelsJson[name] = ModelMetrics(report, ci, comparison.VersusBest(name));
                report.Confusion.ToFigure($"{name} — {scheme}").SaveSvg(Path.Combine(dir, "figures", $"confusion-{Slug(name)}.svg"));
                foreach (var p in list.OrderBy(p => p.Repeat).ThenBy(p => p.Fold).ThenBy(p => p.ClipId, StringComparer.Ordinal))
                {
                    predictionsCsv.Append(scheme).Append(',').Append(Csv(name)).Append(',').Append(Csv(p.ClipId)).Append(',')
                        .Append(p.Repeat).Append(',').Append(p.Fold).Append(',').Append(p.Truth).Append(',').Append(p.Predicted);
                    foreach (var c in classNames) predictionsCsv.Append(',').Append((p.Probabilities is { } pr && pr.TryGetValue(c, out var v) ? v : 0).ToString("R", CultureInfo.InvariantCulture));
                    predictionsCsv.Append('\n');
                }
            }
            TrainingCurves(byModel, scheme)?.SaveSvg(Path.Combine(dir, "figures", "training-curves.svg"));
            evals[scheme] = new JsonObject
            {
                ["splits"] = splits.Count,
                ["description"] = SchemeDescription(eval),
                ["models"] = modelsJson,
                ["best"] = comparison.Best,
                ["comparisons"] = new JsonArray(comparison.Pairs.Select(p => (JsonNode)new JsonObject
                {
                    ["a"] = p.ModelA, ["b"] = p.ModelB,
                    ["mcnemarP"] = R(p.McNemar.PValue),
                    ["correctedTP"] = p.CorrectedT is null ? null : R(p.CorrectedT.PValue),
                }).ToArray()),
            };
        }
        metrics["evaluations"] = evals;
        run.WriteText("metrics.json", RunFolder.CanonicalJson(metrics));
        run.WriteText("predictions.csv", predictionsCsv.ToString());

        timings["totalSeconds"] = Math.Round(total.Elapsed.TotalSeconds, 3);
        var manifest = new JsonObject
        {
            ["experiment"] = _spec.Name,
            ["runId"] = run.RunId,
            ["config"] = JsonNode.Parse(_spec.ToJson()),
            ["dataset"] = new JsonObject { ["manifestHash"] = train.Manifest.ManifestHash, ["folder"] = train.Directory, ["testManifestHash"] = test?.Manifest.ManifestHash },
            ["gitCommit"] = Provenance.GitCommit(_options.BaseDirectory),
            ["codeId"] = RunFolder.CodeId,
            ["machine"] = Provenance.Machine(),
            ["threads"] = _options.Threads,
            ["startedUtc"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["finishedUtc"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["timings"] = timings,
            ["unitFitSeconds"] = unitTimes,
            ["unitsComputed"] = computed,
            ["unitsReused"] = reused,
        };
        run.WriteText("manifest.json", RunFolder.CanonicalJson(manifest));
        return new RunResult(run.Path, t1, t2, sig, computed, reused, total.Elapsed) { Predictions = allPredictions };
    }

    private sealed record PreparedData(Dataset Dataset, Manifest Manifest, string Directory, string Name);

    private PreparedData Prepare(DatasetSpec ds, CancellationToken cancellation)
    {
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
            dataset = Subset(dataset, cap);
            name += $"-max{cap}";
        }
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
        }, p => _observer?.Progress($"prepare {name}", p.Done, p.Total), cancellation);
        return new PreparedData(dataset, result.Manifest, dir, name);
    }

    /// <summary>At most <paramref name="perClass"/> clips per class: songs in id order, whole songs only, first songs first.</summary>
    internal static Dataset Subset(Dataset d, int perClass)
    {
        var kept = new List<Clip>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var song in d.Clips.GroupBy(c => c.GroupId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var clips = song.ToList();
            if (clips.All(c => counts.GetValueOrDefault(c.Label) < perClass))
            {
                kept.AddRange(clips);
                foreach (var c in clips) counts[c.Label] = counts.GetValueOrDefault(c.Label) + 1;
            }
        }
        var ids = kept.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return new Dataset(d.Name, d.Source, kept, d.ClassNames, d.Scores.Where(kv => ids.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    /// <summary>Name of the clip-level MFCC statistics column (20 means then 20 standard deviations).</summary>
    public const string MfccStatsColumn = "MfccStats";

    private bool UsesKind(string kind) => _spec.Models.Any(m => m.FeatureKind(_spec.Features.Kind) == kind);

    /// <summary>
    /// librosa.feature.mfcc conventions (20 coefficients, 128 Slaney mel bands, n_fft 2048, hop 512) at the dataset's
    /// sample rate: the features of the scikit-learn reference (RBF SVM on 40 MFCC mean/std statistics).
    /// </summary>
    public static MfccOptions ReferenceMfccOptions(int sampleRate) =>
        MfccOptions.Librosa with { Mel = MfccOptions.Librosa.Mel with { SampleRate = sampleRate } };

    /// <summary>Per-coefficient mean and population standard deviation (numpy's default) over the frames: [means…, stds…].</summary>
    public static float[] MeanStd(FeatureMatrix frames)
    {
        int n = frames.Columns, t = frames.Rows;
        var r = new float[2 * n];
        if (t == 0) return r;
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int i = 0; i < t; i++) sum += frames[i, j];
            double mean = sum / t, ss = 0;
            for (int i = 0; i < t; i++) { double d = frames[i, j] - mean; ss += d * d; }
            r[j] = (float)mean;
            r[n + j] = (float)Math.Sqrt(ss / t);
        }
        return r;
    }

    private DataTable BuildTable(PreparedData train, PreparedData? test, CancellationToken cancellation)
    {
        bool needLld = UsesKind("lld"), needMfcc = UsesKind("mfcc");
        var mfccExtractor = needMfcc
            ? BatchFeatureExtractor.ForMfcc(ReferenceMfccOptions(_spec.Dataset.SampleRate), new FeatureCache(Path.GetFullPath(Path.Combine(_options.DataRoot, "cache", "features"))), _options.Threads)
            : null;
        var mfccStats = new List<float[]>();
        var lld = new LldOptions { SampleRate = _spec.Dataset.SampleRate, SegmentSeconds = _spec.Features.SegmentSeconds, OverlapSeconds = _spec.Features.Overlap * _spec.Features.SegmentSeconds };
        lld = lld with
        {
            Mfcc = lld.Mfcc with { Mel = lld.Mfcc.Mel with { SampleRate = lld.SampleRate } },
            Frame = lld.Frame with { SampleRate = lld.SampleRate },
        };
        var extractor = BatchFeatureExtractor.ForLldSegments(lld, new FeatureCache(Path.GetFullPath(Path.Combine(_options.DataRoot, "cache", "features"))), _options.Threads);
        var ids = new List<string>();
        var groups = new List<string>();
        var labels = new List<string>();
        var splits = new List<string>();
        var seqs = new List<FeatureMatrix>();
        foreach (var (data, part) in new[] { (train, "train"), (test, "test") })
        {
            if (data is null) continue;
            var items = data.Manifest.Clips.Select(c => new BatchItem(c.Id, Path.Combine(data.Directory, c.Audio))).ToList();
            IReadOnlyList<BatchResult>? results = null;
            if (needLld)
            {
                _observer?.Stage($"extracting 50-dim LLD segment features ({data.Manifest.Clips.Count} clips)");
                results = extractor.Run(items, new Progress(_observer, $"features {data.Name}"), cancellation);
            }
            if (mfccExtractor is not null)
            {
                _observer?.Stage($"extracting MFCC mean/std statistics ({data.Manifest.Clips.Count} clips, 20 MFCCs, whole clip)");
                foreach (var r in mfccExtractor.Run(items, new Progress(_observer, $"mfcc {data.Name}"), cancellation)) mfccStats.Add(MeanStd(r.Features));
            }
            bool prefix = test is not null;
            for (int i = 0; i < data.Manifest.Clips.Count; i++)
            {
                var c = data.Manifest.Clips[i];
                ids.Add(prefix ? $"{data.Name}:{c.Id}" : c.Id);
                groups.Add(prefix ? $"{data.Name}:{c.Group}" : c.Group);
                labels.Add(c.Label);
                splits.Add(test is not null ? part : c.Split ?? "");
                if (results is not null) seqs.Add(_spec.Features.Tail == "trim" ? TrimSilentTail(results[i].Features) : results[i].Features);
            }
        }
        var columns = new List<DataColumn>
        {
            new DataColumn<string>("Id", ColumnType.String, ids.ToArray()),
            new DataColumn<string>("Group", ColumnType.String, groups.ToArray()),
            new DataColumn<string>("Label", ColumnType.String, labels.ToArray()),
            new DataColumn<string>("Split", ColumnType.String, splits.ToArray()),
        };
        if (needLld)
            columns.Add(new DataColumn<FeatureMatrix>(new SchemaColumn("Lld", ColumnType.Sequence(LldExtractor.SegmentColumns.Count)) { SlotNames = LldExtractor.SegmentColumns }, seqs.ToArray()));
        if (needMfcc)
        {
            int n = mfccStats[0].Length / 2;
            var slots = Enumerable.Range(0, n).Select(k => $"mfcc{k}_mean").Concat(Enumerable.Range(0, n).Select(k => $"mfcc{k}_std")).ToArray();
            columns.Add(new DataColumn<float[]>(new SchemaColumn(MfccStatsColumn, ColumnType.Vector(2 * n)) { SlotNames = slots }, mfccStats.ToArray()));
        }
        return new DataTable(columns);
    }

    private sealed class Progress(IExperimentObserver? observer, string task) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => observer?.Progress(task, value.Completed, value.Total);
    }

    /// <summary>
    /// Drops trailing segments that are near-silent — mean energy more than 30 dB below the clip's loudest segment —
    /// keeping at least one. Rendered MIDI ends in a 2–2.5 s release tail, so without this the last step an LSTM sees
    /// is mostly silence (EMOPIA: 1,065 of 1,078 renders end in a near-silent final 3 s segment).
    /// </summary>
    public static FeatureMatrix TrimSilentTail(FeatureMatrix m, double belowMaxDb = 30)
    {
        int col = LldExtractor.SegmentColumns.ToList().IndexOf("energy_db_mean");
        if (col < 0 || m.Columns != LldExtractor.SegmentColumns.Count || m.Rows <= 1) return m;
        float max = float.NegativeInfinity;
        for (int i = 0; i < m.Rows; i++) max = Math.Max(max, m[i, col]);
        int keep = m.Rows;
        while (keep > 1 && m[keep - 1, col] < max - belowMaxDb) keep--;
        if (keep == m.Rows) return m;
        return new FeatureMatrix(m.Data.AsSpan(0, keep * m.Columns).ToArray(), keep, m.Columns, m.FeatureNames, m.FrameTimes[..keep], m.Options);
    }

    private IReadOnlyList<DataSplit> Splits(EvaluationSpec eval, DataTable table, string[] labels, string[] groups)
    {
        var assignment = table.Column<string>("Split").ToArray();
        switch (eval.Scheme)
        {
            case EvaluationScheme.OfficialSplit:
                if (assignment.Any(string.IsNullOrEmpty))
                    throw new ExperimentSpecException($"{_spec.Name}: evaluation scheme official-split needs an official split, but dataset {_spec.Dataset.Kind.ToString().ToLowerInvariant()} has clips without one (use grouped-kfold)");
                return new PredefinedSplit(assignment, "test", ["train", "val"]).Split(table.RowCount, labels, groups);
            case EvaluationScheme.TrainTest:
                return new PredefinedSplit(assignment, "test", ["train"]).Split(table.RowCount, labels, groups);
            case EvaluationScheme.StratifiedKfold:
                return RepeatedCrossValidator.StratifiedKFold(eval.Folds, eval.Repeats, eval.Seed).Split(table.RowCount, labels, groups);
            default:
                return RepeatedCrossValidator.StratifiedGroupKFold(eval.Folds, eval.Repeats, eval.Seed).Split(table.RowCount, labels, groups);
        }
    }

    private UnitResult RunUnit(string scheme, ModelSpec model, DataSplit split, DataTable table, int evalSeed)
    {
        var sw = Stopwatch.StartNew();
        var trainTable = table.SelectRows(split.Train);
        var testTable = table.SelectRows(split.Test);
        int seed = StableSeed($"{evalSeed}/{scheme}/{model.Name}/{split.Repeat}/{split.Fold}");
        var ctx = new HfContext(seed);
        var options = _modelOptions[model.Name];
        bool minmax = _spec.Features.Normalization == "minmax";
        IEstimator<ITransformer> features = minmax ? ctx.Transforms.NormalizeMinMax("LldN", "Lld") : new TrivialEstimator<ConcatenateTransformer>(new ConcatenateTransformer("Unused", "Unused"));
        var curve = new List<EpochPoint>();
        MulticlassTrainerBase trainer = options is LstmClassifierOptions lstm
            ? new LstmClassifierTrainer(new MulticlassColumns(minmax ? "LldN" : "Lld", "Label"), lstm, seed, "Group") { Observer = new CurveRecorder(curve) }
            : new ClassicalTrainer(new MulticlassColumns("Pooled", "Label"), options switch
            {
                Models.Classical.SvmOptions => ClassicalModelKind.Svm,
                Models.Classical.LdaOptions => ClassicalModelKind.Lda,
                _ => ClassicalModelKind.LogisticRegression,
            }, options);
        ITransformer fitted;
        if (model.FeatureKind(_spec.Features.Kind) == "mfcc")
            // Clip-level MFCC statistics: standardised inside the classical trainer (as sklearn's StandardScaler+SVC), no min–max.
            fitted = new ClassicalTrainer(new MulticlassColumns(MfccStatsColumn, "Label"), ((ClassicalTrainer)trainer).Kind, options).Fit(trainTable);
        else if (options is LstmClassifierOptions)
            fitted = minmax ? features.Append(trainer).Fit(trainTable) : trainer.Fit(trainTable);
        else
        {
            var pool = ctx.Transforms.PoolSequence("Pooled", minmax ? "LldN" : "Lld");
            fitted = minmax ? features.Append(pool).Append(trainer).Fit(trainTable) : pool.Append(trainer).Fit(trainTable);
        }
        var scored = fitted.Transform(testTable);
        var ids = testTable.Column<string>("Id");
        var truth = testTable.Column<string>("Label");
        var pred = scored.Column<string>(MulticlassColumns.PredictedLabel);
        var score = scored.Column<float[]>(MulticlassColumns.Score);
        var classes = scored.Schema[MulticlassColumns.Score]!.SlotNames!;
        var predictions = Enumerable.Range(0, testTable.RowCount).Select(i => new UnitPrediction(ids[i], truth[i], pred[i], score[i])).ToList();
        return new UnitResult
        {
            Scheme = scheme, Model = model.Name, Repeat = split.Repeat, Fold = split.Fold, TrainCount = split.Train.Length,
            Classes = classes.ToArray(), Predictions = predictions, Curve = curve, FitSeconds = sw.Elapsed.TotalSeconds,
        };
    }

    private sealed class CurveRecorder(List<EpochPoint> curve) : IProgress<EpochReport>
    {
        public void Report(EpochReport r) => curve.Add(new EpochPoint(r.Epoch, r.TrainLoss,
            r.Metrics.TryGetValue("val_loss", out var vl) ? vl : null, r.Metrics.TryGetValue("val_accuracy", out var va) ? va : null));
    }

    private static Figure? TrainingCurves(Dictionary<string, List<UnitResult>> byModel, string scheme)
    {
        var withCurves = byModel.Where(kv => kv.Value.Count > 0 && kv.Value[0].Curve.Count > 0).ToList();
        if (withCurves.Count == 0) return null;
        var fig = new Figure(720, 440) { Title = $"Training curves ({scheme}, first fold)" };
        fig.XAxis.Label = "epoch";
        fig.YAxis.Label = "cross-entropy loss";
        foreach (var (name, units) in withCurves)
        {
            var c = units[0].Curve;
            fig.AddLine(c.Select(p => (double)p.Epoch + 1).ToArray(), c.Select(p => p.Loss).ToArray(), $"{name} train");
            if (c.All(p => p.ValLoss is not null))
                fig.AddLine(c.Select(p => (double)p.Epoch + 1).ToArray(), c.Select(p => p.ValLoss!.Value).ToArray(), $"{name} validation");
        }
        fig.Legend = LegendPosition.OutsideRight;
        return fig;
    }

    private static JsonObject ModelMetrics(ClassificationReport r, ConfidenceInterval ci, PairwiseComparison? vsBest)
    {
        var perClass = new JsonObject();
        foreach (var c in r.PerClass)
            perClass[c.Class] = new JsonObject { ["precision"] = R(c.Precision), ["recall"] = R(c.Recall), ["f1"] = R(c.F1), ["support"] = c.Support };
        var counts = new JsonArray();
        for (int i = 0; i < r.Confusion.Classes.Count; i++)
            counts.Add(new JsonArray(Enumerable.Range(0, r.Confusion.Classes.Count).Select(j => (JsonNode)r.Confusion.Counts[i, j]).ToArray()));
        return new JsonObject
        {
            ["accuracy"] = Summary(r.AccuracySummary),
            ["macroF1"] = Summary(r.MacroF1Summary),
            ["pooledAccuracy"] = R(r.Accuracy),
            ["pooledMacroF1"] = R(r.MacroF1),
            ["balancedAccuracy"] = R(r.BalancedAccuracy),
            ["cohenKappa"] = R(r.CohenKappa),
            ["accuracyCi95"] = new JsonArray(R(ci.Lower), R(ci.Upper)),
            ["perClass"] = perClass,
            ["confusion"] = new JsonObject { ["classes"] = new JsonArray(r.Confusion.Classes.Select(c => (JsonNode)c).ToArray()), ["counts"] = counts },
            ["predictions"] = r.Count,
            ["pVsBestMcNemar"] = vsBest is null ? null : R(vsBest.McNemar.PValue),
            ["pVsBestCorrectedT"] = vsBest?.CorrectedT is null ? null : R(vsBest.CorrectedT.PValue),
        };
    }

    private static JsonObject Summary(Summary s) => new() { ["mean"] = R(s.Mean), ["std"] = R(s.Std), ["n"] = s.Count };

    /// <summary>Rounds to 12 significant digits so metrics.json is stable text (the values are deterministic; this only trims float noise in printing).</summary>
    private static double R(double v) => double.IsFinite(v) ? double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : 0;

    private JsonObject DatasetSummary(PreparedData train, string[] labels, PreparedData? test) => new()
    {
        ["name"] = train.Name,
        ["manifestHash"] = train.Manifest.ManifestHash,
        ["clips"] = train.Manifest.Clips.Count,
        ["classCounts"] = new JsonObject(train.Manifest.ClassCounts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["test"] = test is null ? null : new JsonObject { ["name"] = test.Name, ["manifestHash"] = test.Manifest.ManifestHash, ["clips"] = test.Manifest.Clips.Count },
    };

    public static string SchemeName(EvaluationSpec e) => e.Scheme switch
    {
        EvaluationScheme.OfficialSplit => "official-split",
        EvaluationScheme.TrainTest => "train-test",
        EvaluationScheme.StratifiedKfold => $"stratified-{e.Folds}fold-x{e.Repeats}",
        _ => $"grouped-{e.Folds}fold-x{e.Repeats}",
    };

    private static string SchemeDescription(EvaluationSpec e) => e.Scheme switch
    {
        EvaluationScheme.OfficialSplit => "official split: train+val → test",
        EvaluationScheme.TrainTest => "train on dataset, test on testDataset",
        EvaluationScheme.StratifiedKfold => $"stratified {e.Folds}-fold CV, {e.Repeats} repeat(s), seed {e.Seed}",
        _ => $"song-grouped stratified {e.Folds}-fold CV, {e.Repeats} repeat(s), seed {e.Seed}",
    };

    internal static string Slug(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s.ToLowerInvariant()) sb.Append(char.IsLetterOrDigit(ch) ? ch : ch == '+' ? "+" : "-");
        return sb.ToString().Trim('-');
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    internal static int StableSeed(string text) => (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text))) & 0x7FFFFFFF);
}
