namespace HarmoniousFeedback.Evaluation;

/// <summary>Event-detection scores pooled over clips (<see cref="SpanDetection.Evaluate"/>).</summary>
/// <param name="Truth">True spans.</param>
/// <param name="Predicted">Predicted spans.</param>
/// <param name="Matched">One-to-one matches (same label, IoU ≥ the threshold).</param>
/// <param name="Precision">Matched / predicted (0 when nothing is predicted).</param>
/// <param name="Recall">Matched / truth (0 when there is no truth).</param>
/// <param name="F1">2PR/(P + R) (0 when both are 0).</param>
public sealed record SpanDetectionMetrics(int Truth, int Predicted, int Matched, double Precision, double Recall, double F1);
