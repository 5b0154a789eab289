using HarmoniousFeedback.Evaluation;

namespace HarmoniousFeedback.Experiments;

/// <summary>The units of one evaluation scheme: its name (<c>grouped-2fold-x3</c>), its splits, and one unit per model × split (models in spec order).</summary>
public sealed record SchemePlan(string Name, EvaluationSpec Evaluation, IReadOnlyList<DataSplit> Splits, IReadOnlyList<PlannedUnit> Units);
