namespace HarmoniousFeedback.Evaluation;

/// <summary>Helpers shared by the metric classes: argument checks and label ordering.</summary>
internal static class Inputs
{
    public static void SameLength<TA, TB>(IReadOnlyList<TA> truth, IReadOnlyList<TB> predicted, string truthName = "truth", string predictedName = "predicted")
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count)
            throw new MetricInputException(predictedName, $"has {predicted.Count} values but {truthName} has {truth.Count}; they must be paired one to one");
        if (truth.Count == 0) throw new MetricInputException(truthName, "is empty; a metric needs at least one sample");
    }

    public static void NotEmpty<T>(IReadOnlyCollection<T> items, string name)
    {
        ArgumentNullException.ThrowIfNull(items, name);
        if (items.Count == 0) throw new MetricInputException(name, "is empty; at least one prediction is needed");
    }

    /// <summary>
    /// Sorted set of the labels, as sklearn's <c>unique_labels</c> orders them: numerically when every label
    /// parses as an integer ("2" before "10"), otherwise in ordinal string order.
    /// </summary>
    public static string[] SortedLabels(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var numbers = new long[distinct.Length];
        bool allIntegers = true;
        for (int i = 0; i < distinct.Length && allIntegers; i++)
            allIntegers = long.TryParse(distinct[i], System.Globalization.NumberStyles.AllowLeadingSign, ci, out numbers[i]);
        if (allIntegers) Array.Sort(numbers, distinct);
        else Array.Sort(distinct, StringComparer.Ordinal);
        return distinct;
    }

    public static string Invariant(double x, string format = "R") => x.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
