using System.Globalization;
using HarmoniousFeedback.Data;

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
    /// Reads a comma-separated file with a header row (RFC 4180, <see cref="CsvTable"/>: quoted fields may hold commas,
    /// <c>""</c> is a literal quote, a UTF-8 BOM is ignored, empty lines are skipped). The column named
    /// <paramref name="labelColumn"/> (matched case-insensitively) holds the labels (any text); every other column must parse
    /// as a finite number (invariant culture, e.g. <c>-1.5e-3</c>; NaN, ±∞ and values beyond double's range are refused:
    /// missing values must be removed or imputed first). When <paramref name="classNames"/> is given (the training table's
    /// classes, for a test table) labels are mapped onto it and a label outside it is an error; otherwise the distinct
    /// labels, sorted ordinally, define the classes.
    /// </summary>
    /// <exception cref="DatasetException">Missing file or label column, a file separated by ';' or tabs, ragged row, empty,
    /// non-numeric or non-finite cell (naming the file, line and column), or a label unknown to <paramref name="classNames"/>.</exception>
    public static FeatureTable LoadCsv(string path, string labelColumn = "label", IReadOnlyList<string>? classNames = null)
    {
        if (Directory.Exists(path)) throw new DatasetException($"{path}: is a folder; expected a CSV feature table");
        if (!File.Exists(path)) throw new DatasetException($"{path}: feature table not found");
        var table = CsvTable.Read(path, "feature table");
        var names = table.Header.ToArray();
        if (names.Length == 1 && (names[0].Contains(';') || names[0].Contains('\t')))
            throw new DatasetException($"{path}: the header is one column \"{names[0]}\": this file looks separated by {(names[0].Contains(';') ? "';'" : "tabs")}; "
                + "hfb reads comma-separated values with a decimal point (export or convert it to that)");
        int labelIndex = table.Find(labelColumn);
        if (labelIndex < 0)
            throw new DatasetException($"{path}: no label column \"{labelColumn}\" in the header; columns are: {string.Join(", ", names)} (choose one with --label-column)");
        if (names.Length < 2) throw new DatasetException($"{path}: only the label column; need at least 1 feature column");
        var featureNames = names.Where((_, i) => i != labelIndex).ToArray();

        var rows = new List<double[]>();
        var labels = new List<(int Line, string Label)>();
        foreach (var (lineNo, fields) in table.Rows)
        {
            if (fields.Length == 1 && string.IsNullOrWhiteSpace(fields[0])) continue;   // a line of blanks
            if (fields.Length != names.Length)
                throw new DatasetException($"{path}: line {lineNo} has {fields.Length} cells but the header has {names.Length} columns");
            var row = new double[featureNames.Length];
            for (int c = 0, f = 0; c < fields.Length; c++)
            {
                if (c == labelIndex) continue;
                var cell = fields[c].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new DatasetException($"{path}: line {lineNo}, column \"{names[c]}\": \"{cell}\" is not a number (feature columns must be numeric; only \"{names[labelIndex]}\" may hold text)");
                if (!double.IsFinite(v))
                    throw new DatasetException($"{path}: line {lineNo}, column \"{names[c]}\": \"{cell}\" is not a finite number (remove or impute missing and infinite values before fitting)");
                row[f++] = v;
            }
            var label = fields[labelIndex].Trim();
            if (label.Length == 0) throw new DatasetException($"{path}: line {lineNo}, column \"{names[labelIndex]}\": empty label");
            rows.Add(row);
            labels.Add((lineNo, label));
        }
        if (rows.Count == 0) throw new DatasetException($"{path}: no data rows after the header");

        var classes = classNames?.ToArray() ?? labels.Select(l => l.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classes.Length; k++) index[classes[k]] = k;
        var y = new int[labels.Count];
        for (int i = 0; i < y.Length; i++)
        {
            if (!index.TryGetValue(labels[i].Label, out y[i]))
                throw new DatasetException($"{path}: line {labels[i].Line}: label \"{labels[i].Label}\" is not one of the training classes ({string.Join(", ", classes)})");
        }
        return new FeatureTable { Source = path, FeatureNames = featureNames, ClassNames = classes, Features = rows.ToArray(), Labels = y };
    }
}
