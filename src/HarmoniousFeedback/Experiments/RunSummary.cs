using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Reporting;

namespace HarmoniousFeedback.Experiments;

/// <summary>What <see cref="RunSummarizer.Summarize"/> produced (and wrote): per scheme, the three tables and the pooled predictions; the metrics.json text.</summary>
public sealed record RunSummary(IReadOnlyDictionary<string, Table> Table1, IReadOnlyDictionary<string, Table> Table2, IReadOnlyDictionary<string, Table> Significance,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Prediction>>> Predictions, string MetricsJson);
