using HarmoniousFeedback.Evaluation;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// One unit of work: one model trained on one split (repeat × fold) of one evaluation scheme and tested on its test rows.
/// Units are independent — the local backend runs them in order and reuses completed ones; a cluster backend can run
/// them anywhere that sees the run folder. <see cref="Key"/> names the unit's file in the run folder.
/// </summary>
public sealed record PlannedUnit(string Scheme, PlannedModel Model, DataSplit Split, int Seed)
{
    /// <summary><c>scheme/model-slug/rR-fF</c>, e.g. <c>grouped-2fold-x3/lstm+am/r0-f1</c>.</summary>
    public string Key => $"{Scheme}/{ExperimentPlan.Slug(Model.Name)}/r{Split.Repeat}-f{Split.Fold}";
}
