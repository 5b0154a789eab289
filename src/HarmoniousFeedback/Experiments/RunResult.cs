using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Reporting;

namespace HarmoniousFeedback.Experiments;

/// <summary>What a finished run produced: tables and, per scheme and model, the pooled test predictions.</summary>
public sealed record RunResult(string RunFolder, IReadOnlyDictionary<string, Table> Table1, IReadOnlyDictionary<string, Table> Table2,
                               IReadOnlyDictionary<string, Table> Significance, int UnitsComputed, int UnitsReused, TimeSpan Elapsed)
{
    /// <summary>scheme → model → predictions (every clip once per repeat), for confusion matrices and further tests.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Prediction>>> Predictions { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Prediction>>>();
}
