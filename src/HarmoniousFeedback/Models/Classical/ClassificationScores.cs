namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Accuracy and macro-F1 for <c>hfb baseline</c> and <c>hfb-bench baselines</c>. A deliberately tiny helper: the
/// Evaluation stage owns the full metrics (confusion, κ, CIs) and should replace this once it lands.
/// </summary>
public static class ClassificationScores
{
    /// <summary>Fraction of rows where <paramref name="predicted"/> equals <paramref name="truth"/>.</summary>
    public static double Accuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        if (truth.Count != predicted.Count) throw new ShapeMismatchException($"truth has {truth.Count} labels but predicted has {predicted.Count}");
        if (truth.Count == 0) return double.NaN;
        int ok = 0;
        for (int i = 0; i < truth.Count; i++) if (truth[i] == predicted[i]) ok++;
        return (double)ok / truth.Count;
    }

    /// <summary>
    /// Unweighted mean over classes of F1 = 2·TP / (2·TP + FP + FN), over the union of labels in
    /// <paramref name="truth"/> and <paramref name="predicted"/>; a class with TP + FP + FN = 0 cannot occur and a class
    /// with TP = 0 scores 0 (scikit-learn's <c>f1_score(average="macro", zero_division=0)</c>).
    /// </summary>
    public static double MacroF1(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        if (truth.Count != predicted.Count) throw new ShapeMismatchException($"truth has {truth.Count} labels but predicted has {predicted.Count}");
        var labels = truth.Concat(predicted).Distinct().ToArray();
        if (labels.Length == 0) return double.NaN;
        double sum = 0;
        foreach (var c in labels)
        {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < truth.Count; i++)
            {
                bool t = truth[i] == c, p = predicted[i] == c;
                if (t && p) tp++; else if (p) fp++; else if (t) fn++;
            }
            sum += 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / labels.Length;
    }
}
