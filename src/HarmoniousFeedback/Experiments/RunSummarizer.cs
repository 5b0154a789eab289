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
            var table1 = PaperTables.Table1(ordered, new Table1Options { Seed = eval.Seed, Caption = $"{spec.Name} — {scheme}: accuracy and macro-F1 (mean ± std over {schemePlan.Splits.Count} fold(s); 95 % bootstrap CI of pooled accuracy)", Label = $"tab:{ExperimentPlan.Slug(spec.Name)}-{scheme}-t1" });
            var table2 = PaperTables.Table2(ordered, classNames);
            table2.Caption = $"{spec.Name} — {scheme}: per-class recognition rate (%)";
            var comparison = ModelComparison.Compare(ordered, ClassificationMetric.Accuracy, mcNemarRepeat: 0,
                trainCount: schemePlan.Splits.Average(s => (double)s.Train.Length));
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
                report.Confusion.ToFigure($"{name} — {scheme}").SaveSvg(Path.Combine(dir, "figures", $"confusion-{ExperimentPlan.Slug(name)}.svg"));
                foreach (var p in list.OrderBy(p => p.Repeat).ThenBy(p => p.Fold).ThenBy(p => p.ClipId, StringComparer.Ordinal))
                {
                    predictionsCsv.Append(scheme).Append(',').Append(Csv(name)).Append(',').Append(Csv(p.ClipId)).Append(',')
                        .Append(p.Repeat).Append(',').Append(p.Fold).Append(',').Append(p.Truth).Append(',').Append(p.Predicted);
                    foreach (var c in classNames) predictionsCsv.Append(',').Append((p.Probabilities is { } pr && pr.TryGetValue(c, out var v) ? v : 0).ToString("R", CultureInfo.InvariantCulture));
                    predictionsCsv.Append('\n');
                }
            }
            TrainingCurves(_plan.Models.Select(m => KeyValuePair.Create(m.Name, byModel[m.Name])), scheme)?.SaveSvg(Path.Combine(dir, "figures", "training-curves.svg"));
            var sweeps = Sweeps(preds);
            if (sweeps.Count > 0)
                SweepTable.Build(sweeps, $"{spec.Name} — {scheme}: parameter sweeps (mean ± std over folds × seeds)", $"tab:{ExperimentPlan.Slug(spec.Name)}-{scheme}-sweeps").SaveAll(dir, "sweeps");
            evals[scheme] = new JsonObject
            {
                ["splits"] = schemePlan.Splits.Count,
                ["description"] = ExperimentPlan.SchemeDescription(eval),
                ["models"] = modelsJson,
                ["best"] = comparison.Best,
                ["comparisons"] = new JsonArray(comparison.Pairs.Select(p => (JsonNode)new JsonObject
                {
                    ["a"] = p.ModelA, ["b"] = p.ModelB,
                    ["mcnemarP"] = R(p.McNemar.PValue),
                    ["correctedTP"] = p.CorrectedT is null ? null : R(p.CorrectedT.PValue),
                }).ToArray()),
            };
            if (sweeps.Count > 0) evals[scheme]!["sweeps"] = SweepsJson(sweeps);
        }
        metrics["evaluations"] = evals;
        var metricsJson = RunFolder.CanonicalJson(metrics);
        run.WriteText("metrics.json", metricsJson);
        run.WriteText("predictions.csv", predictionsCsv.ToString());
        return new RunSummary(t1, t2, sig, allPredictions, metricsJson);
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

    private static Figure? TrainingCurves(IEnumerable<KeyValuePair<string, IReadOnlyList<UnitResult>>> byModel, string scheme)
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
