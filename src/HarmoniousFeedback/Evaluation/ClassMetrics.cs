namespace HarmoniousFeedback.Evaluation;

/// <summary>Precision, recall, F1 and support of one class (see <see cref="ConfusionMatrix"/> for the definitions).</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, long Support);
