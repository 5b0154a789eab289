using System.Text;

namespace HarmoniousFeedback.Data;

/// <summary>
/// A small RFC 4180 CSV reader for the datasets' metadata files: comma-separated, optional double quotes (a doubled
/// quote inside quotes is a literal quote, quoted fields may contain commas and newlines), first row = header, header
/// names matched case-insensitively after trimming, a UTF-8 BOM ignored, empty lines skipped. Errors name the file,
/// the line and the column.
/// </summary>
public sealed class CsvTable
{
    public string Path { get; }
    public IReadOnlyList<string> Header { get; }

    /// <summary>Rows as field arrays, with the 1-based line number where each row starts.</summary>
    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    private CsvTable(string path, IReadOnlyList<string> header, IReadOnlyList<(int, string[])> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
    }

    /// <summary>Reads <paramref name="path"/>; a missing file raises <see cref="DatasetException"/> naming it and <paramref name="what"/>.</summary>
    public static CsvTable Read(string path, string what = "CSV file")
    {
        if (!File.Exists(path)) throw new DatasetException($"{what} not found: {path}");
        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    public static CsvTable Parse(string text, string path)
    {
        var rows = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, rowLine = 1;
        bool quoted = false, any = false;
        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        void EndRow()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (!(fields.Count == 1 && fields[0].Length == 0 && !any)) rows.Add((rowLine, fields.ToArray()));
            fields.Clear();
            any = false;
        }
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; any = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n': EndRow(); line++; rowLine = line; break;
                default: field.Append(c); any = true; break;
            }
        }
        if (quoted) throw new DatasetException($"{path}: line {rowLine}: unterminated quoted field");
        if (field.Length > 0 || fields.Count > 0 || any) EndRow();
        if (rows.Count == 0) throw new DatasetException($"{path}: file is empty; expected a header row");
        var header = rows[0].Item2.Select(h => h.Trim()).ToArray();
        return new CsvTable(path, header, rows.Skip(1).ToArray());
    }

    /// <summary>Index of column <paramref name="name"/> (case-insensitive), or −1.</summary>
    public int Find(string name)
    {
        for (int i = 0; i < Header.Count; i++) if (string.Equals(Header[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>Index of a required column; <see cref="DatasetException"/> naming the file, the column and the header otherwise.</summary>
    public int Require(string name)
    {
        int i = Find(name);
        if (i < 0) throw new DatasetException($"{Path}: required column '{name}' is missing (header: {string.Join(",", Header)})");
        return i;
    }

    /// <summary>Field <paramref name="column"/> of a row, trimmed; rows shorter than the header raise <see cref="DatasetException"/>.</summary>
    public string Field((int Line, string[] Fields) row, int column)
    {
        if (column >= row.Fields.Length)
            throw new DatasetException($"{Path}: line {row.Line}: has {row.Fields.Length} fields but column '{Header[column]}' is number {column + 1}");
        return row.Fields[column].Trim();
    }
}
