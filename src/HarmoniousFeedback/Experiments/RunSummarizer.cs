using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Plotting;
using HarmoniousFeedback.Reporting;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The third part of a run: the units' predictions → metrics, tables, figures and files. For every scheme it pools each
/// model's test predictions over repeats and folds and writes Table 1 (accuracy and macro-F1, mean ± std over units,
/// bootstrap CI, p vs best), Table 2 (per-class recognition rates), the pairwise significance table (Markdown, LaTeX,
/// CSV, HTML), confusion-matrix and training-curve SVGs; then the deterministic <c>metrics.json</c> (no timings: the
/// same units give the same bytes) and <c>predictions.csv</c>. Reads nothing but what it is given.
/// </summary>
public sealed class RunSummarizer
{
    private readonly ExperimentPlan _plan;
    private readonly ClipIndex _clips;
    private readonly PreparedData _train;
    private readonly PreparedData? _test;

    public RunSummarizer(ExperimentPlan plan, ClipIndex clips, PreparedData train, PreparedData? test)
    {
        _plan = plan;
        _clips = clips;
        _train = train;
        _test = test;
    }

    /// <summary>Per scheme, the teaching-feedback table (filled by <see cref="Summarize"/> for a dataset with feedback targets).</summary>
    public Dictionary<string, Table> Feedback { get; } = new(StringComparer.Ordinal);

    /// <param name="schemes">The planned schemes (for split sizes).</param>
    /// <param name="results">scheme → model name → the model's unit results (every split of the scheme).</param>
    /// <param name="run">Where to write.</param>
    public RunSummary Summarize(IReadOnlyList<SchemePlan> schemes, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<UnitResult>>> results, RunFolder run)
    {
        var spec = _plan.Spec;
        var classNames = _clips.ClassNames;
        var allPredictions = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Prediction>>>();
        var t1 = new Dictionary<string, Table>();
        var t2 = new Dictionary<string, Table>();
        var sig = new Dictionary<string, Table>();
        var metrics = new JsonObject
        {
            ["experiment"] = spec.Name,
            ["dataset"] = DatasetSummary(),
            ["features"] = new JsonObject { ["kind"] = spec.Features.Kind, ["segmentSeconds"] = spec.Features.SegmentSeconds, ["overlap"] = spec.Features.Overlap, ["normalization"] = spec.Features.Normalization, ["tail"] = spec.Features.Tail },
        };
        var evals = new JsonObject();
        var predictionsCsv = new StringBuilder("scheme,model,clip,repeat,fold,truth,prediction");
        foreach (var c in classNames) predictionsCsv.Append(",p_").Append(c);
        predictionsCsv.Append('\n');

        foreach (var schemePlan in schemes)
        {
            string scheme = schemePlan.Name;
            var eval = schemePlan.Evaluation;
            var byModel = results[scheme];
            var preds = _plan.Models.ToDictionary(m => m.Name, m => (IReadOnlyList<Prediction>)byModel[m.Name]
                .SelectMany(u => u.Predictions.Select(p => new Prediction(p.ClipId, u.Fold, u.Repeat, p.Truth, p.Predicted,
                    u.Classes.Select((c, k) => (c, k)).ToDictionary(t => t.c, t => (double)p.Probabilities[t.k])))).ToList(), StringComparer.Ordinal);
            var ordered = _plan.Models.Select(m => KeyValuePair.Create(m.Name, preds[m.Name])).ToList();
            var dir = Path.Combine(run.Path, scheme);
            // Captions name what a reader needs (dataset and protocol), never the spec's file name or the scheme's folder
            // id; LaTeX labels carry both ids so tables of several experiments and protocols can share one paper.
            string what = $"{DatasetCaption()}, {ExperimentPlan.SchemeDescription(eval)}";
            string label = $"tab:{ExperimentPlan.Slug(spec.Name)}-{scheme}";
            string ciText = eval.Bootstrap > 0 ? $"; 95 % percentile-bootstrap CI of pooled accuracy, B = {eval.Bootstrap}" : "";
            var table1 = PaperTables.Table1(ordered, new Table1Options
            {
                Seed = eval.Seed, BootstrapResamples = eval.Bootstrap,
                Caption = $"Accuracy and macro-F1 (%) on {what} (mean ± std over {schemePlan.Splits.Count} evaluation unit(s){ciText}).",
                Label = label + "-t1",
            });
            var table2 = PaperTables.Table2(ordered, classNames,
                caption: $"Per-class recognition rate (%) on {what} (diagonal of the row-normalised confusion matrix pooled over all evaluation units).",
                label: label + "-t2");
            // A run of one model has nothing to compare: no significance table, no "p vs best" (null in metrics.json).
            var comparison = ordered.Count >= 2
                ? ModelComparison.Compare(ordered, ClassificationMetric.Accuracy, mcNemarRepeat: 0,
                    trainCount: schemePlan.Splits.Average(s => (double)s.Train.Length))
                : null;
            table1.SaveAll(dir, "table1");
            table2.SaveAll(dir, "table2");
            t1[scheme] = table1; t2[scheme] = table2;
            if (comparison is not null)
            {
                var table3 = PaperTables.Comparison(comparison,
                    caption: $"Pairwise comparisons of accuracy on {what} ({comparison.Pairs.Count} tests, no multiplicity correction).",
                    label: label + "-sig");
                table3.SaveAll(dir, "significance");
                sig[scheme] = table3;
            }
            allPredictions[scheme] = preds;

            var modelsJson = new JsonObject();
            foreach (var (name, list) in ordered)
            {
                var report = ClassificationReport.From(list, classNames);
                // The same B, level and seed as Table 1 (Table1Options defaults: 0.95), so the two give the same interval.
                ConfidenceInterval? ci = eval.Bootstrap > 0 ? Bootstrap.PercentileCi(list, ClassificationMetric.Accuracy, eval.Bootstrap, 0.95, eval.Seed) : null;
                modelsJson[name] = ModelMetrics(report, ci, comparison?.VersusBest(name));
                int units = list.Select(p => (p.Repeat, p.Fold)).Distinct().Count();
                report.Confusion.ToFigure($"{name}: {list.Count} test predictions pooled over {units} evaluation unit(s)")
                    .SaveSvg(Path.Combine(dir, "figures", $"confusion-{ExperimentPlan.Slug(name)}.svg"));
                foreach (var p in list.OrderBy(p => p.Repeat).ThenBy(p => p.Fold).ThenBy(p => p.ClipId, StringComparer.Ordinal))
                {
                    predictionsCsv.Append(scheme).Append(',').Append(Csv(name)).Append(',').Append(Csv(p.ClipId)).Append(',')
                        .Append(p.Repeat).Append(',').Append(p.Fold).Append(',').Append(p.Truth).Append(',').Append(p.Predicted);
                    foreach (var c in classNames) predictionsCsv.Append(',').Append((p.Probabilities is { } pr && pr.TryGetValue(c, out var v) ? v : 0).ToString("R", CultureInfo.InvariantCulture));
                    predictionsCsv.Append('\n');
                }
            }
            TrainingCurves(_plan.Models.Select(m => KeyValuePair.Create(m.Name, byModel[m.Name])))?.SaveSvg(Path.Combine(dir, "figures", "training-curves.svg"));
            var sweeps = Sweeps(preds);
            if (sweeps.Count > 0)
                SweepTable.Build(sweeps, $"{spec.Name} — {scheme}: parameter sweeps (mean ± std over folds × seeds)", $"tab:{ExperimentPlan.Slug(spec.Name)}-{scheme}-sweeps").SaveAll(dir, "sweeps");
            JsonObject? feedback = null;
            if (_clips.HasFeedbackTargets)
            {
                var (json, table, significance) = FeedbackSummary.Compute(spec, schemePlan, _clips, ordered, byModel, R);
                table.SaveAll(dir, "feedback");
                significance.SaveAll(dir, "significance-macro-f1");
                feedback = json;
                Feedback[scheme] = table;
            }
            evals[scheme] = new JsonObject
            {
                ["splits"] = schemePlan.Splits.Count,
                ["description"] = ExperimentPlan.SchemeDescription(eval),
                ["models"] = modelsJson,
                ["best"] = comparison?.Best ?? ordered[0].Key,
                ["comparisons"] = new JsonArray((comparison?.Pairs ?? []).Select(p => (JsonNode)new JsonObject
                {
                    ["a"] = p.ModelA, ["b"] = p.ModelB,
                    ["mcnemarP"] = R(p.McNemar.PValue),
                    ["correctedTP"] = p.CorrectedT is null || double.IsNaN(p.CorrectedT.PValue) ? null : R(p.CorrectedT.PValue),
                }).ToArray()),
            };
            if (sweeps.Count > 0) evals[scheme]!["sweeps"] = SweepsJson(sweeps);
            if (feedback is not null) evals[scheme]!["feedback"] = feedback;
        }
        metrics["evaluations"] = evals;
        var metricsJson = RunFolder.CanonicalJson(metrics);
        run.WriteText("metrics.json", metricsJson);
        run.WriteText("predictions.csv", predictionsCsv.ToString());
        return new RunSummary(t1, t2, sig, allPredictions, metricsJson) { Feedback = Feedback };
    }

    /// <summary>The plan's sweep rows grouped into points (model × grid coordinates), each with its seeds' predictions.</summary>
    private List<SweepPoint> Sweeps(IReadOnlyDictionary<string, IReadOnlyList<Prediction>> preds) =>
        _plan.Models.Where(m => m.SweepOf is not null)
            .GroupBy(m => (m.SweepOf!, string.Join("\u0001", m.SweepPoint.Select(kv => kv.Key + "=" + kv.Value))))
            .Select(g => new SweepPoint(g.Key.Item1, g.First().SweepPoint, g.Where(m => m.SweepSeed is not null).Select(m => m.SweepSeed!.Value).ToArray(),
                g.Select(m => preds[m.Name]).ToArray()))
            .ToList();

    private static JsonArray SweepsJson(IReadOnlyList<SweepPoint> sweeps) => new(sweeps.Select(p =>
    {
        var acc = p.PredictionsPerSeed.SelectMany(u => ClassificationMetrics.ByFold(u, ClassificationMetric.Accuracy).Select(f => f.Value)).ToArray();
        var f1 = p.PredictionsPerSeed.SelectMany(u => ClassificationMetrics.ByFold(u, ClassificationMetric.MacroF1).Select(f => f.Value)).ToArray();
        return (JsonNode)new JsonObject
        {
            ["model"] = p.Model,
            ["point"] = new JsonObject(p.Point.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["seeds"] = new JsonArray(p.Seeds.Select(s => (JsonNode)s).ToArray()),
            ["accuracy"] = Summary(Evaluation.Summary.Of(acc)),
            ["macroF1"] = Summary(Evaluation.Summary.Of(f1)),
        };
    }).ToArray());

    /// <summary>
    /// The training curves of every model over all its evaluation units (repeats × folds): one colour per model, solid
    /// training loss and dashed validation loss, each the mean over the units still training at that epoch with a band of
    /// ± 1 sample std (when ≥ 2 units), and a thin dashed vertical line in the model's colour at its (lower) median stop epoch when early stopping
    /// ended any unit before the longest one. The legend names the models once plus the two line styles. Null when no
    /// model has a curve.
    /// </summary>
    internal static Figure? TrainingCurves(IEnumerable<KeyValuePair<string, IReadOnlyList<UnitResult>>> byModel)
    {
        var withCurves = byModel.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Where(u => u.Curve.Count > 0).ToList()))
            .Where(kv => kv.Value.Count > 0).ToList();
        if (withCurves.Count == 0) return null;
        int maxUnits = withCurves.Max(kv => kv.Value.Count);
        var fig = new Figure(640, 400) { Title = maxUnits > 1 ? $"Loss per epoch (mean ± std over {maxUnits} evaluation units)" : "Loss per epoch" };
        fig.XAxis.Label = "epoch";
        fig.YAxis.Label = "cross-entropy loss";
        for (int m = 0; m < withCurves.Count; m++)
        {
            var (name, units) = withCurves[m];
            string color = Palette.Categorical(m);
            int epochs = units.Max(u => u.Curve.Count);
            var x = Enumerable.Range(1, epochs).Select(e => (double)e).ToArray();
            void Curve(Func<EpochPoint, double?> value, bool dashed, string? legend)
            {
                var mean = new double[epochs];
                var lo = new double[epochs];
                var hi = new double[epochs];
                for (int e = 0; e < epochs; e++)
                {
                    var v = units.Where(u => e < u.Curve.Count && value(u.Curve[e]) is not null).Select(u => value(u.Curve[e])!.Value).ToArray();
                    if (v.Length == 0) { mean[e] = lo[e] = hi[e] = double.NaN; continue; }
                    var sum = Evaluation.Summary.Of(v);
                    mean[e] = sum.Mean;
                    double sd = v.Length > 1 ? sum.Std : double.NaN;
                    lo[e] = mean[e] - sd;
                    hi[e] = mean[e] + sd;
                }
                if (units.Count > 1) fig.Add(new BandSeries(x, lo, hi) { Color = color, Opacity = dashed ? 0.12 : 0.2 });
                fig.Add(new LineSeries(x, mean) { Color = color, Dashed = dashed, Name = legend });
            }
            Curve(p => p.Loss, false, name);
            if (units.Any(u => u.Curve.Any(p => p.ValLoss is not null))) Curve(p => p.ValLoss, true, null);
            var stops = units.Select(u => u.Curve.Count).Order().ToArray();
            if (stops[0] < epochs)
                fig.Add(new ReferenceLine(LineOrientation.Vertical, stops[(stops.Length - 1) / 2]) { Color = color });
        }
        // Legend-only entries for the two line styles (no points: they draw nothing in the plot).
        fig.Add(new LineSeries([], []) { Color = "#555555", Name = "train" });
        if (withCurves.Any(kv => kv.Value.Any(u => u.Curve.Any(p => p.ValLoss is not null))))
            fig.Add(new LineSeries([], []) { Color = "#555555", Dashed = true, Name = "validation" });
        fig.Legend = LegendPosition.TopRight;
        return fig;
    }

    private static JsonObject ModelMetrics(ClassificationReport r, ConfidenceInterval? ci, PairwiseComparison? vsBest)
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
            ["accuracyCi95"] = ci is { } interval ? new JsonArray(R(interval.Lower), R(interval.Upper)) : null,
            ["perClass"] = perClass,
            ["confusion"] = new JsonObject { ["classes"] = new JsonArray(r.Confusion.Classes.Select(c => (JsonNode)c).ToArray()), ["counts"] = counts },
            ["predictions"] = r.Count,
            ["pVsBestMcNemar"] = vsBest is null ? null : R(vsBest.McNemar.PValue),
            ["pVsBestCorrectedT"] = vsBest?.CorrectedT is null || double.IsNaN(vsBest.CorrectedT.PValue) ? null : R(vsBest.CorrectedT.PValue),
        };
    }

    private static JsonObject Summary(Summary s) => new() { ["mean"] = R(s.Mean), ["std"] = R(s.Std), ["n"] = s.Count };

    /// <summary>Rounds to 12 significant digits so metrics.json is stable text (the values are deterministic; this only trims float noise in printing).</summary>
    private static double R(double v) => double.IsFinite(v) ? double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : 0;

    /// <summary>The data as a caption names it: "EMOPIA (1071 clips)", "the synthetic corpus (400 clips) → VGMIDI (200 clips)".</summary>
    private string DatasetCaption()
    {
        static string Kind(DatasetKind k) => k switch
        {
            DatasetKind.Synthetic => "the synthetic corpus",
            DatasetKind.Emopia => "EMOPIA",
            DatasetKind.Vgmidi => "VGMIDI",
            _ => "the recordings",
        };
        string train = $"{Kind(_plan.Spec.Dataset.Kind)} ({_train.Manifest.Clips.Count.ToString(CultureInfo.InvariantCulture)} clips)";
        return _test is null || _plan.Spec.TestDataset is null ? train
            : $"{train} → {Kind(_plan.Spec.TestDataset.Kind)} ({_test.Manifest.Clips.Count.ToString(CultureInfo.InvariantCulture)} clips)";
    }

    private JsonObject DatasetSummary() => new()
    {
        ["name"] = _train.Name,
        ["manifestHash"] = _train.Manifest.ManifestHash,
        ["clips"] = _train.Manifest.Clips.Count,
        ["classCounts"] = new JsonObject(_train.Manifest.ClassCounts.OrderBy(k => k.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["test"] = _test is null ? null : new JsonObject { ["name"] = _test.Name, ["manifestHash"] = _test.Manifest.ManifestHash, ["clips"] = _test.Manifest.Clips.Count },
    };

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
