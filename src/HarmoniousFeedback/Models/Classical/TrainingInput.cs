using System.Globalization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>Dense row-major copy of a feature table with class indices, validated at the public boundary.</summary>
internal sealed class TrainingInput
{
    /// <summary>Row-major [Rows × Features].</summary>
    public required double[] X { get; init; }
    public required int Rows { get; init; }
    public required int Features { get; init; }
    /// <summary>Distinct labels in ascending order; class index k stands for <c>Classes[k]</c>.</summary>
    public required int[] Classes { get; init; }
    /// <summary>Class index (into <see cref="Classes"/>) of each row.</summary>
    public required int[] Y { get; init; }

    public ReadOnlySpan<double> Row(int i) => X.AsSpan(i * Features, Features);

    public int[] ClassCounts()
    {
        var counts = new int[Classes.Length];
        foreach (var k in Y) counts[k]++;
        return counts;
    }

    /// <summary>Validates <paramref name="x"/> (n × d, finite) and <paramref name="y"/> (n labels, ≥ 2 distinct).</summary>
    public static TrainingInput Create(string model, double[][] x, int[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length)
            throw new ShapeMismatchException($"{model}: x has {x.Length} rows but y has {y.Length} labels; they must have the same length");
        if (x.Length == 0)
            throw new TrainingDataException($"{model}: training data is empty (x has 0 rows); need at least 2 rows of 2 different classes");
        var flat = Flatten(model, x, expectedFeatures: null, argument: "x");
        var classes = y.Distinct().Order().ToArray();
        if (classes.Length < 2)
            throw new TrainingDataException(
                $"{model}: y has a single class ({classes[0].ToString(CultureInfo.InvariantCulture)}) in all {y.Length} rows; " +
                "a classifier needs at least 2 distinct classes");
        var index = new Dictionary<int, int>(classes.Length);
        for (int k = 0; k < classes.Length; k++) index[classes[k]] = k;
        var yi = new int[y.Length];
        for (int i = 0; i < y.Length; i++) yi[i] = index[y[i]];
        return new TrainingInput { X = flat, Rows = x.Length, Features = x[0].Length, Classes = classes, Y = yi };
    }

    /// <summary>Row-major copy of <paramref name="x"/>, checking every row has the same (or the expected) width and finite values.</summary>
    public static double[] Flatten(string model, double[][] x, int? expectedFeatures, string argument = "x")
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length == 0) return [];
        if (x[0] is null) throw new ShapeMismatchException($"{model}: {argument}[0] is null");
        int d = expectedFeatures ?? x[0].Length;
        if (d == 0) throw new ShapeMismatchException($"{model}: {argument} has 0 features per row; need at least 1");
        var flat = new double[checked(x.Length * d)];
        for (int i = 0; i < x.Length; i++)
        {
            var row = x[i];
            if (row is null || row.Length != d)
                throw new ShapeMismatchException(
                    $"{model}: {argument}[{i}] has {(row is null ? "no" : row.Length.ToString(CultureInfo.InvariantCulture))} features but " +
                    (expectedFeatures is null ? $"{argument}[0] has {d}" : $"the model was fitted with {d}") + "; every row must have the same number of features");
            for (int j = 0; j < d; j++)
            {
                if (!double.IsFinite(row[j]))
                    throw new TrainingDataException(
                        $"{model}: {argument}[{i}][{j}] = {row[j].ToString(CultureInfo.InvariantCulture)}; features must be finite (impute or drop NaN/∞ before fitting)");
            }
            row.CopyTo(flat, i * d);
        }
        return flat;
    }
}
