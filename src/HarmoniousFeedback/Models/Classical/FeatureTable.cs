using System.Globalization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// A numeric feature table for the classical baselines: one row per sample, <see cref="FeatureNames"/> columns of
/// doubles and a string label per row mapped to a class index. Class indices follow <see cref="ClassNames"/>, which is
/// sorted ordinally (so "a" &lt; "b", "10" &lt; "9"), the same order scikit-learn's <c>np.unique</c> gives string labels.
/// </summary>
public sealed class FeatureTable
{
    public required string Source { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    /// <summary>Class names in class-index order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>[rows × features].</summary>
    public required double[][] Features { get; init; }
    /// <summary>Class index of each row (into <see cref="ClassNames"/>).</summary>
    public required int[] Labels { get; init; }

    public int Rows => Features.Length;

    /// <summary>
    /// Reads a comma-separated file with a header row. The column named <paramref name="labelColumn"/> holds the
    /// labels (any text); every other column must parse as a number (invariant culture, e.g. <c>-1.5e-3</c>).
    /// When <paramref name="classNames"/> is given (the training table's classes, for a test table) labels are mapped
    /// onto it and a label outside it is an error; otherwise the distinct labels, sorted ordinally, define the classes.
    /// </summary>
    /// <exception cref="DatasetException">Missing file or label column, ragged row, empty or non-numeric cell
    /// (naming the file, line and column), or a label unknown to <paramref name="classNames"/>.</exception>
    public static FeatureTable LoadCsv(string path, string labelColumn = "label", IReadOnlyList<string>? classNames = null)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: feature table not found");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null) throw new DatasetException($"{path}: file is empty; expected a header row naming the columns");
        var names = Split(header);
        int labelIndex = Array.IndexOf(names, labelColumn);
        if (labelIndex < 0)
            throw new DatasetException($"{path}: no label column \"{labelColumn}\" in the header; columns are: {string.Join(", ", names)} (choose one with --label-column)");
        if (names.Length < 2) throw new DatasetException($"{path}: only the label column; need at least 1 feature column");
        var featureNames = names.Where((_, i) => i != labelIndex).ToArray();

        var rows = new List<double[]>();
        var labels = new List<string>();
        int lineNo = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNo++;
            if (line.Length == 0 || line.All(char.IsWhiteSpace)) continue;
            var cells = Split(line);
            if (cells.Length != names.Length)
                throw new DatasetException($"{path}: line {lineNo} has {cells.Length} cells but the header has {names.Length} columns");
            var row = new double[featureNames.Length];
            for (int c = 0, f = 0; c < cells.Length; c++)
            {
                if (c == labelIndex) continue;
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new DatasetException($"{path}: line {lineNo}, column \"{names[c]}\": \"{cells[c]}\" is not a number (feature columns must be numeric; only \"{labelColumn}\" may hold text)");
                row[f++] = v;
            }
            if (cells[labelIndex].Length == 0) throw new DatasetException($"{path}: line {lineNo}, column \"{labelColumn}\": empty label");
            rows.Add(row);
            labels.Add(cells[labelIndex]);
        }
        if (rows.Count == 0) throw new DatasetException($"{path}: no data rows after the header");

        var classes = classNames?.ToArray() ?? labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classes.Length; k++) index[classes[k]] = k;
        var y = new int[labels.Count];
        for (int i = 0; i < y.Length; i++)
        {
            if (!index.TryGetValue(labels[i], out y[i]))
                throw new DatasetException($"{path}: row {i + 1}: label \"{labels[i]}\" is not one of the training classes ({string.Join(", ", classes)})");
        }
        return new FeatureTable { Source = path, FeatureNames = featureNames, ClassNames = classes, Features = rows.ToArray(), Labels = y };
    }

    private static string[] Split(string line)
    {
        var cells = line.Split(',');
        for (int i = 0; i < cells.Length; i++)
        {
            var c = cells[i].Trim();
            if (c.Length >= 2 && c[0] == '"' && c[^1] == '"') c = c[1..^1];
            cells[i] = c;
        }
        return cells;
    }
}
