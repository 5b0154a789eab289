namespace HarmoniousFeedback.Evaluation;

/// <summary>
/// Localisation of labelled time spans, scored like sound-event detection's event-based F1 (sed_eval; Mesaros et al.
/// 2016) with an IoU criterion instead of onset/offset collars: within each clip, truth and predicted spans of the same
/// label are paired greedily by decreasing temporal IoU (each span used once); a pair with IoU ≥ <c>minIou</c> is a
/// match. Precision, recall and F1 pool the counts over all clips.
/// </summary>
public static class SpanDetection
{
    /// <param name="clips">Per clip: its true and its predicted spans.</param>
    /// <param name="minIou">The IoU a pair needs to count as a match, in (0, 1]. Default 0.3.</param>
    /// <exception cref="MetricInputException"><paramref name="minIou"/> outside (0, 1].</exception>
    public static SpanDetectionMetrics Evaluate(IEnumerable<(IReadOnlyList<LabelledSpan> Truth, IReadOnlyList<LabelledSpan> Predicted)> clips, double minIou = 0.3)
    {
        if (!(minIou > 0 && minIou <= 1)) throw new MetricInputException(nameof(minIou), $"= {minIou} must be in (0, 1]");
        int truth = 0, predicted = 0, matched = 0;
        foreach (var (t, p) in clips)
        {
            truth += t.Count;
            predicted += p.Count;
            var pairs = new List<(double Iou, int T, int P)>();
            for (int i = 0; i < t.Count; i++)
                for (int j = 0; j < p.Count; j++)
                    if (t[i].Label == p[j].Label && t[i].Iou(p[j]) is var iou && iou >= minIou) pairs.Add((iou, i, j));
            var usedT = new bool[t.Count];
            var usedP = new bool[p.Count];
            foreach (var (_, i, j) in pairs.OrderByDescending(x => x.Iou).ThenBy(x => x.T).ThenBy(x => x.P))
            {
                if (usedT[i] || usedP[j]) continue;
                usedT[i] = usedP[j] = true;
                matched++;
            }
        }
        double precision = predicted > 0 ? (double)matched / predicted : 0, recall = truth > 0 ? (double)matched / truth : 0;
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new SpanDetectionMetrics(truth, predicted, matched, precision, recall, f1);
    }
}
