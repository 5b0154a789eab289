using HarmoniousFeedback.Evaluation;

namespace HarmoniousFeedback.Reporting;

/// <summary>One point of a parameter sweep: the swept model, its grid coordinates, and the predictions of every unit run at that point (all seeds).</summary>
/// <param name="Model">The spec entry's name.</param>
/// <param name="Point">Parameter → value as written in the spec (empty for a seeds-only sweep).</param>
/// <param name="Seeds">The training seeds pooled at this point (empty when the sweep lists none).</param>
/// <param name="PredictionsPerSeed">The pooled test predictions of every unit, one list per seed (within a list, units are told apart by repeat and fold).</param>
public sealed record SweepPoint(string Model, IReadOnlyList<KeyValuePair<string, string>> Point, IReadOnlyList<int> Seeds, IReadOnlyList<IReadOnlyList<Prediction>> PredictionsPerSeed);
