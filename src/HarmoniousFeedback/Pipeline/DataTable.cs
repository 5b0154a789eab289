using System.Globalization;
using System.Net;
using System.Text;

namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// The currency of the pipeline: an immutable set of equally long, named, typed columns (scalars, strings,
/// vectors, sequences of vectors, tensors, lazily loaded audio). Transformers return new tables that share unchanged
/// columns with their input. Row subsets (<see cref="SelectRows"/>) are how cross-validation folds are made.
/// </summary>
public sealed class DataTable
{
    private readonly DataColumn[] _columns;

    public DataTable(IEnumerable<DataColumn> columns)
    {
        _columns = columns.ToArray();
        if (_columns.Length > 0)
        {
            int n = _columns[0].Length;
            foreach (var c in _columns)
                if (c.Length != n)
                    throw new SchemaMismatchException($"column '{c.Name}' has {c.Length} rows but column '{_columns[0].Name}' has {n}; all columns of a table have the same length");
        }
        Schema = new Schema(_columns.Select(c => c.Schema));
    }

    public Schema Schema { get; }
    public int RowCount => _columns.Length == 0 ? 0 : _columns[0].Length;
    public IReadOnlyList<DataColumn> Columns => _columns;

    public DataColumn this[string name] => _columns.FirstOrDefault(c => c.Name == name)
        ?? throw new SchemaMismatchException($"no column '{name}' in table {Schema}");

    /// <summary>The column <paramref name="name"/> as typed values; the error names the actual type when it does not match.</summary>
    public DataColumn<T> Column<T>(string name)
    {
        var c = this[name];
        return c as DataColumn<T> ?? throw new SchemaMismatchException(
            $"column '{name}' has type {c.Type} (values of {c.GetType().GetGenericArguments().FirstOrDefault()?.Name}), not {typeof(T).Name}");
    }

    /// <summary>A table with <paramref name="column"/> added (or replacing the column of the same name).</summary>
    public DataTable With(DataColumn column)
    {
        if (_columns.Length > 0 && column.Length != RowCount)
            throw new SchemaMismatchException($"new column '{column.Name}' has {column.Length} rows but the table has {RowCount}");
        var list = _columns.ToList();
        int i = list.FindIndex(c => c.Name == column.Name);
        if (i >= 0) list[i] = column; else list.Add(column);
        return new DataTable(list);
    }

    public DataTable Without(params string[] names) => new(_columns.Where(c => !names.Contains(c.Name)));

    /// <summary>The rows <paramref name="rows"/> (in that order) of every column.</summary>
    public DataTable SelectRows(IReadOnlyList<int> rows)
    {
        var r = rows as int[] ?? rows.ToArray();
        return new DataTable(_columns.Select(c => c.Select(r)));
    }

    /// <summary>Starts a table from materialised columns: <c>DataTable.Create(("Id", ids), ("Label", labels))</c>.</summary>
    public static DataTable Create(params (string Name, Array Values)[] columns)
        => new(columns.Select(c => FromArray(c.Name, c.Values)));

    /// <summary>A materialised column with its type inferred from the array's element type.</summary>
    public static DataColumn FromArray(string name, Array values) => values switch
    {
        float[] a => new DataColumn<float>(name, ColumnType.Float, a),
        double[] a => new DataColumn<double>(name, ColumnType.Double, a),
        int[] a => new DataColumn<int>(name, ColumnType.Int, a),
        bool[] a => new DataColumn<bool>(name, ColumnType.Bool, a),
        string[] a => new DataColumn<string>(name, ColumnType.String, a),
        float[][] a => new DataColumn<float[]>(name, ColumnType.Vector(CommonLength(name, a)), a),
        Features.FeatureMatrix[] a => new DataColumn<Features.FeatureMatrix>(name, ColumnType.Sequence(a.Length == 0 ? 0 : a[0].Columns), a),
        Audio.AudioClip[] a => new DataColumn<Audio.AudioClip>(name, ColumnType.Audio, a),
        _ => throw new SchemaMismatchException($"column '{name}': arrays of {values.GetType().GetElementType()?.Name} are not a supported column type " +
                                               "(allowed: float, double, int, bool, string, float[], FeatureMatrix, AudioClip)"),
    };

    private static int? CommonLength(string name, float[][] rows)
    {
        if (rows.Length == 0) return null;
        int n = rows[0].Length;
        return rows.All(r => r.Length == n) ? n : null;
    }

    /// <summary>A short preview: the first <paramref name="maxRows"/> rows with long values summarised.</summary>
    public string ToPreviewString(int maxRows = 10)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"DataTable: {RowCount} rows × {_columns.Length} columns");
        sb.AppendLine(string.Join(" | ", _columns.Select(c => $"{c.Name}: {c.Type}")));
        for (int r = 0; r < Math.Min(maxRows, RowCount); r++)
            sb.AppendLine(string.Join(" | ", _columns.Select(c => Summarise(c, r))));
        return sb.ToString();
    }

    /// <summary>Notebook rendering (text/plain and an HTML preview table).</summary>
    public IReadOnlyDictionary<string, string> ToMimeBundle()
    {
        var h = new StringBuilder("<table><thead><tr>");
        foreach (var c in _columns) h.Append("<th>").Append(WebUtility.HtmlEncode(c.Name)).Append("<br/><small>").Append(WebUtility.HtmlEncode(c.Type.ToString())).Append("</small></th>");
        h.Append("</tr></thead><tbody>");
        for (int r = 0; r < Math.Min(10, RowCount); r++)
        {
            h.Append("<tr>");
            foreach (var c in _columns) h.Append("<td>").Append(WebUtility.HtmlEncode(Summarise(c, r))).Append("</td>");
            h.Append("</tr>");
        }
        h.Append($"</tbody></table><p>{RowCount} rows</p>");
        return new Dictionary<string, string> { ["text/plain"] = ToPreviewString(), ["text/html"] = h.ToString() };
    }

    private static string Summarise(DataColumn c, int row)
    {
        if (c.Type is AudioType) return "(audio)"; // do not decode audio for a preview
        return c.GetBoxed(row) switch
        {
            null => "∅",
            float f => f.ToString("G5", CultureInfo.InvariantCulture),
            double d => d.ToString("G5", CultureInfo.InvariantCulture),
            float[] v => v.Length <= 4 ? "[" + string.Join(", ", v.Select(x => x.ToString("G4", CultureInfo.InvariantCulture))) + "]"
                                       : $"[{v[0].ToString("G4", CultureInfo.InvariantCulture)}, …] ({v.Length})",
            Features.FeatureMatrix m => $"[{m.Rows} × {m.Columns}]",
            TensorValue t => $"tensor[{string.Join("×", t.Shape)}]",
            var o => o.ToString() ?? "",
        };
    }

    public override string ToString() => ToPreviewString();
}
