using System.Globalization;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Reporting;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The teaching-feedback metrics of one evaluation scheme (written only for a dataset with feedback targets, so other
/// experiments' metrics.json is unchanged): dominant-issue accuracy and macro-F1 with a bootstrap CI of the pooled
/// macro-F1 and the pairwise significance on macro-F1; for models that produce them, per-dimension MAE of the clip scores,
/// localisation of issue spans (<see cref="SpanDetection"/>: truth = planted deviations with severity &gt; 0.3, i.e.
/// a dimension score below the corpus's dominant threshold 0.7 over the span; predicted = <see cref="FeedbackIssues"/>
/// of the per-frame scores; match = same dimension and IoU ≥ 0.3), and CCC and Pearson r of every emotional target.
/// </summary>
internal static class FeedbackSummary
{
    /// <summary>Truth spans weaker than this are not issues (score ≥ 0.7 over their span).</summary>
    public const double IssueSeverity = 0.3;

    /// <summary>IoU a predicted span needs with a truth span of its dimension to localise it.</summary>
    public const double MinIou = 0.3;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static (JsonObject Json, Table Table, Table Significance) Compute(ExperimentSpec spec, SchemePlan scheme, ClipIndex clips,
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<Prediction>>> ordered, IReadOnlyDictionary<string, IReadOnlyList<UnitResult>> byModel,
        Func<double, double> round)
    {
        var eval = scheme.Evaluation;
        var index = Enumerable.Range(0, clips.Count).ToDictionary(i => clips.Ids[i], StringComparer.Ordinal);
        var f1Cmp = ModelComparison.Compare(ordered, ClassificationMetric.MacroF1, mcNemarRepeat: 0,
            trainCount: scheme.Splits.Average(s => (double)s.Train.Length));
        var models = new JsonObject();
        var table = new Table("Model", "Accuracy", "Macro-F1", "Macro-F1 95 % CI", "p vs best", "Dim. MAE", "Loc. F1", "Loc. recall (local)", "Emotion CCC", "Emotion r")
        {
            Caption = $"{spec.Name} — {scheme.Name}: teaching feedback (dominant issue, per-dimension scores, issue localisation, emotional targets)",
            Label = $"tab:{ExperimentPlan.Slug(spec.Name)}-{scheme.Name}-feedback",
        };
        foreach (var (name, list) in ordered)
        {
            var acc = Summary.Of(ClassificationMetrics.ByFold(list, ClassificationMetric.Accuracy).Select(f => f.Value));
            var f1 = Summary.Of(ClassificationMetrics.ByFold(list, ClassificationMetric.MacroF1).Select(f => f.Value));
            var ci = Bootstrap.PercentileCi(list, ClassificationMetric.MacroF1, resamples: Math.Max(1, eval.Bootstrap), seed: eval.Seed);
            var vs = f1Cmp.VersusBest(name);
            double? p = vs is null ? null : vs.CorrectedT?.PValue ?? vs.McNemar.PValue;
            var json = new JsonObject
            {
                ["macroF1"] = new JsonObject { ["mean"] = round(f1.Mean), ["std"] = round(f1.Std), ["n"] = f1.Count },
                ["macroF1Ci95"] = new JsonArray(round(ci.Lower), round(ci.Upper)),
                ["pVsBestMacroF1"] = p is null ? null : round(p.Value),
            };
            var predictions = byModel[name].SelectMany(u => u.Predictions).ToList();
            string mae = "—", loc = "—", locRecall = "—", ccc = "—", r = "—";
            if (predictions.Count > 0 && predictions.All(q => q.Dimensions is not null && q.Emotion is not null && q.Issues is not null))
            {
                var truth = predictions.Select(q => clips.FeedbackTargets[index[q.ClipId]]!).ToList();
                var maeJson = new JsonObject();
                double maeSum = 0;
                for (int d = 0; d < 6; d++)
                {
                    double m = predictions.Select((q, i) => Math.Abs(q.Dimensions![d] - truth[i].Scores[d])).Average();
                    maeJson[HarmoniousFeedbackNetwork.Dimensions[d]] = round(m);
                    maeSum += m;
                }
                maeJson["mean"] = round(maeSum / 6);
                json["dimensionMae"] = maeJson;

                static LabelledSpan L(FeedbackSpan s) => new(s.DimensionName, s.Start, s.End);
                var all = SpanDetection.Evaluate(predictions.Select((q, i) => (
                    (IReadOnlyList<LabelledSpan>)truth[i].Spans.Where(s => s.Severity > IssueSeverity).Select(L).ToList(),
                    (IReadOnlyList<LabelledSpan>)q.Issues!.Select(L).ToList())), MinIou);
                var local = SpanDetection.Evaluate(predictions.Select((q, i) => (
                    (IReadOnlyList<LabelledSpan>)truth[i].Spans.Where(s => s.Severity > IssueSeverity && s.Localised).Select(L).ToList(),
                    (IReadOnlyList<LabelledSpan>)q.Issues!.Select(L).ToList())), MinIou);
                json["localisation"] = new JsonObject
                {
                    ["truthSpans"] = all.Truth, ["predictedSpans"] = all.Predicted, ["matched"] = all.Matched,
                    ["precision"] = round(all.Precision), ["recall"] = round(all.Recall), ["f1"] = round(all.F1),
                    ["localisedTruthSpans"] = local.Truth, ["localisedRecall"] = round(local.Recall),
                    ["minIou"] = MinIou, ["issueSeverity"] = IssueSeverity,
                };

                var emo = new JsonObject();
                double cccSum = 0, rSum = 0;
                for (int k = 0; k < 6; k++)
                {
                    var rm = RegressionMetrics.Compute(truth.Select(t => (double)t.Emotion[k]).ToArray(), predictions.Select(q => (double)q.Emotion![k]).ToArray());
                    emo[HarmoniousFeedbackNetwork.EmotionTargets[k]] = new JsonObject { ["ccc"] = round(rm.Ccc), ["pearson"] = round(rm.PearsonR), ["mae"] = round(rm.Mae) };
                    cccSum += double.IsFinite(rm.Ccc) ? rm.Ccc : 0;
                    rSum += double.IsFinite(rm.PearsonR) ? rm.PearsonR : 0;
                }
                emo["meanCcc"] = round(cccSum / 6);
                emo["meanPearson"] = round(rSum / 6);
                json["emotion"] = emo;
                mae = (maeSum / 6).ToString("0.000", Inv);
                loc = all.F1.ToString("0.000", Inv);
                locRecall = local.Recall.ToString("0.000", Inv);
                ccc = (cccSum / 6).ToString("0.000", Inv);
                r = (rSum / 6).ToString("0.000", Inv);
            }
            models[name] = json;
            bool best = name == f1Cmp.Best;
            table.AddRow(new TableCell(name), new TableCell(Pct(acc)), new TableCell(Pct(f1), best), new TableCell($"[{100 * ci.Lower:0.0}, {100 * ci.Upper:0.0}]"),
                new TableCell(p is null ? "—" : PaperTables.FormatP(p.Value)), new TableCell(mae), new TableCell(loc), new TableCell(locRecall), new TableCell(ccc), new TableCell(r));
        }
        table.Note = $"Mean ± std of accuracy and macro-F1 (%) over {scheme.Splits.Count} unit(s); CI: percentile bootstrap of pooled macro-F1 (B = {eval.Bootstrap}, seed {eval.Seed}); " +
                     $"p: {(f1Cmp.Pairs.Any(x => x.CorrectedT is not null) ? "Nadeau–Bengio corrected t-test on per-unit macro-F1" : "McNemar")} vs the best model on macro-F1 ({f1Cmp.Best}). " +
                     $"Dim. MAE: mean absolute error of the six clip scores. Loc.: issue spans (truth severity > {IssueSeverity}, IoU ≥ {MinIou}); recall (local): of the time-local deviations. " +
                     "Emotion: mean over the six emotional targets.";
        var json0 = new JsonObject
        {
            ["models"] = models,
            ["bestMacroF1"] = f1Cmp.Best,
            ["comparisonsMacroF1"] = new JsonArray(f1Cmp.Pairs.Select(x => (JsonNode)new JsonObject
            {
                ["a"] = x.ModelA, ["b"] = x.ModelB, ["deltaMacroF1"] = round(x.ScoreA - x.ScoreB),
                ["mcnemarP"] = round(x.McNemar.PValue),
                ["correctedTP"] = x.CorrectedT is null || double.IsNaN(x.CorrectedT.PValue) ? null : round(x.CorrectedT.PValue),
            }).ToArray()),
        };
        var sig = PaperTables.Comparison(f1Cmp);
        sig.Caption = $"{spec.Name} — {scheme.Name}: pairwise comparisons on dominant-issue macro-F1 ({f1Cmp.Pairs.Count} tests, no multiplicity correction)";
        return (json0, table, sig);
    }

    private static string Pct(Summary s) => $"{100 * s.Mean:0.0} ± {100 * s.Std:0.0}";
}
