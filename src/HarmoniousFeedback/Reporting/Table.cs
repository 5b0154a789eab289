using System.Globalization;
using System.Text;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Reporting;

/// <summary>
/// A paper table: columns, rows of cells, caption and label. Renders to Markdown (GitHub pipe table), LaTeX (booktabs,
/// escaped), CSV (RFC 4180) and HTML, and displays in notebooks via <see cref="ToMimeBundle"/>. Cell text is plain
/// Unicode (e.g. "81.2 ± 1.3"); each renderer escapes it for its format.
/// </summary>
public sealed class Table
{
    private readonly List<TableCell[]> _rows = new();

    public IReadOnlyList<TableColumn> Columns { get; }
    public IReadOnlyList<IReadOnlyList<TableCell>> Rows => _rows;

    /// <summary>Caption (LaTeX <c>\caption</c>, HTML <c>&lt;caption&gt;</c>, a line above the Markdown table).</summary>
    public string? Caption { get; set; }

    /// <summary>Cross-reference label (LaTeX <c>\label</c>, HTML id), e.g. "tab:results".</summary>
    public string? Label { get; set; }

    /// <summary>Footnote below the table (e.g. how p-values were computed).</summary>
    public string? Note { get; set; }

    public Table(IEnumerable<TableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns.ToArray();
        if (Columns.Count == 0) throw new ShapeMismatchException("columns is empty: a table needs at least one column");
    }

    /// <summary>Columns from headers: the first left-aligned, the others right-aligned (numbers).</summary>
    public Table(params string[] headers)
        : this(headers.Select((h, i) => new TableColumn(h, i == 0 ? ColumnAlignment.Left : ColumnAlignment.Right))) { }

    /// <summary>Appends a row; it must have one cell per column.</summary>
    public Table AddRow(params TableCell[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count)
            throw new ShapeMismatchException($"row has {cells.Length} cells but the table has {Columns.Count} columns ({string.Join(", ", Columns.Select(c => c.Header))})");
        _rows.Add(cells.Select(c => c ?? new TableCell("")).ToArray());
        return this;
    }

    /// <summary>Appends a row of plain strings.</summary>
    public Table AddRow(IEnumerable<string> cells) => AddRow(cells.Select(c => new TableCell(c)).ToArray());

    // ------------------------------------------------------------ Markdown

    /// <summary>GitHub-flavoured pipe table; '|' escaped as '\|', bold as **…**, alignment row :--, --:, :-:.</summary>
    public string ToMarkdown()
    {
        static string Md(TableCell c)
        {
            var t = c.Text.Replace("\\", "\\\\").Replace("|", "\\|").Replace("\r", "").Replace("\n", " ");
            return c.Bold && t.Length > 0 ? "**" + t + "**" : t;
        }
        var sb = new StringBuilder();
        if (Caption is not null) sb.Append(Caption.StartsWith("Table", StringComparison.Ordinal) ? Caption : "Table: " + Caption).Append("\n\n");
        sb.Append("| ").Append(string.Join(" | ", Columns.Select(c => Md(new TableCell(c.Header))))).Append(" |\n");
        sb.Append('|').Append(string.Join("|", Columns.Select(c => c.Alignment switch
        {
            ColumnAlignment.Right => "---:",
            ColumnAlignment.Center => ":---:",
            _ => ":---",
        }))).Append("|\n");
        foreach (var r in _rows) sb.Append("| ").Append(string.Join(" | ", r.Select(Md))).Append(" |\n");
        if (Note is not null) sb.Append('\n').Append(Note).Append('\n');
        return sb.ToString();
    }

    // ------------------------------------------------------------ LaTeX

    /// <summary>
    /// Escapes text for LaTeX: the ten special characters <c># $ % &amp; _ { } ~ ^ \</c>, and maps the symbols tables use
    /// (± × ≤ ≥ − κ χ α → math mode, non-breaking space, "…").
    /// </summary>
    public static string EscapeLatex(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        bool inMath = false; // consecutive math symbols share one $…$ group
        foreach (char ch in text)
        {
            string? math = ch switch
            {
                '±' => @"\pm",
                '×' => @"\times",
                '≤' => @"\leq",
                '≥' => @"\geq",
                '−' => "-",
                'κ' => @"\kappa",
                'χ' => @"\chi",
                'α' => @"\alpha",
                '²' => "^2",
                _ => null,
            };
            if (math is not null)
            {
                if (!inMath) { sb.Append('$'); inMath = true; }
                sb.Append(math);
                continue;
            }
            if (inMath) { sb.Append('$'); inMath = false; }
            sb.Append(ch switch
            {
                '\\' => @"\textbackslash{}",
                '#' => @"\#",
                '$' => @"\$",
                '%' => @"\%",
                '&' => @"\&",
                '_' => @"\_",
                '{' => @"\{",
                '}' => @"\}",
                '~' => @"\textasciitilde{}",
                '^' => @"\textasciicircum{}",
                '\u00A0' => "~",
                '…' => @"\ldots{}",
                '<' => @"\textless{}",
                '>' => @"\textgreater{}",
                '\n' => " ",
                '\r' => "",
                _ => ch.ToString(),
            });
        }
        if (inMath) sb.Append('$');
        return sb.ToString();
    }

    /// <summary>
    /// A LaTeX <c>table</c> float with a booktabs <c>tabular</c> (\toprule, \midrule, \bottomrule; needs
    /// <c>\usepackage{booktabs}</c>). Caption above the table, label after it; bold cells as \textbf{…}.
    /// </summary>
    public string ToLatex()
    {
        static string Cell(TableCell c) => c.Bold && c.Text.Length > 0 ? @"\textbf{" + EscapeLatex(c.Text) + "}" : EscapeLatex(c.Text);
        var sb = new StringBuilder();
        sb.Append("\\begin{table}[t]\n\\centering\n");
        if (Caption is not null) sb.Append("\\caption{").Append(EscapeLatex(Caption)).Append("}\n");
        if (Label is not null) sb.Append("\\label{").Append(Label.Replace("}", "").Replace("{", "")).Append("}\n");
        sb.Append("\\begin{tabular}{").Append(string.Concat(Columns.Select(c => c.Alignment switch
        {
            ColumnAlignment.Right => 'r',
            ColumnAlignment.Center => 'c',
            _ => 'l',
        }))).Append("}\n\\toprule\n");
        sb.Append(string.Join(" & ", Columns.Select(c => EscapeLatex(c.Header)))).Append(" \\\\\n\\midrule\n");
        foreach (var r in _rows) sb.Append(string.Join(" & ", r.Select(Cell))).Append(" \\\\\n");
        sb.Append("\\bottomrule\n\\end{tabular}\n");
        if (Note is not null) sb.Append("\\par\\smallskip{\\footnotesize ").Append(EscapeLatex(Note)).Append("}\n");
        sb.Append("\\end{table}\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------ CSV

    /// <summary>
    /// RFC 4180 CSV: header line then one line per row, CRLF line ends, a field quoted when it contains a comma, a
    /// double quote, CR or LF (quotes doubled). Numbers are already text, formatted with the invariant culture by the
    /// builders. Bold is dropped; caption and note are not written.
    /// </summary>
    public string ToCsv()
    {
        static string Q(string s) => s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        var sb = new StringBuilder();
        sb.Append(string.Join(",", Columns.Select(c => Q(c.Header)))).Append("\r\n");
        foreach (var r in _rows) sb.Append(string.Join(",", r.Select(c => Q(c.Text)))).Append("\r\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------ HTML / text

    /// <summary>An HTML <c>&lt;table&gt;</c> (all text HTML-encoded), caption on top, note in a footer.</summary>
    public string ToHtml()
    {
        static string Align(ColumnAlignment a) => a switch { ColumnAlignment.Right => "right", ColumnAlignment.Center => "center", _ => "left" };
        var sb = new StringBuilder("<table class=\"hfb-table\"");
        if (Label is not null) sb.Append(" id=\"").Append(Html(Label)).Append('"');
        sb.Append('>');
        if (Caption is not null) sb.Append("<caption>").Append(Html(Caption)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (var c in Columns) sb.Append("<th style=\"text-align:").Append(Align(c.Alignment)).Append("\">").Append(Html(c.Header)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in _rows)
        {
            sb.Append("<tr>");
            for (int i = 0; i < r.Length; i++)
            {
                sb.Append("<td style=\"text-align:").Append(Align(Columns[i].Alignment)).Append("\">");
                var t = Html(r[i].Text);
                sb.Append(r[i].Bold ? "<b>" + t + "</b>" : t).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody>");
        if (Note is not null) sb.Append("<tfoot><tr><td colspan=\"").Append(Columns.Count.ToString(CultureInfo.InvariantCulture)).Append("\"><small>").Append(Html(Note)).Append("</small></td></tr></tfoot>");
        sb.Append("</table>");
        return sb.ToString();
    }

    /// <summary>Escapes &amp; &lt; &gt; " ' for HTML text and attributes; other characters (±, κ) stay readable.</summary>
    private static string Html(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    /// <summary>Fixed-width text with padded columns.</summary>
    public override string ToString()
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Text.Length))).ToArray();
        string Pad(string s, int i) => Columns[i].Alignment == ColumnAlignment.Right ? s.PadLeft(widths[i]) : s.PadRight(widths[i]);
        var sb = new StringBuilder();
        if (Caption is not null) sb.AppendLine(Caption);
        sb.AppendLine(string.Join("  ", Columns.Select((c, i) => Pad(c.Header, i))).TrimEnd());
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var r in _rows) sb.AppendLine(string.Join("  ", r.Select((c, i) => Pad(c.Text, i))).TrimEnd());
        if (Note is not null) sb.AppendLine(Note);
        return sb.ToString();
    }

    /// <summary>Rich display for notebooks: text/plain, text/html and text/markdown.</summary>
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        ["text/plain"] = ToString(),
        ["text/html"] = ToHtml(),
        ["text/markdown"] = ToMarkdown(),
    };

    /// <summary>Writes <c>{baseName}.md</c>, <c>.tex</c>, <c>.csv</c> and <c>.html</c> into <paramref name="directory"/> atomically; returns the paths.</summary>
    public IReadOnlyList<string> SaveAll(string directory, string baseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        var files = new (string Ext, string Text)[] { (".md", ToMarkdown()), (".tex", ToLatex()), (".csv", ToCsv()), (".html", ToHtml()) };
        var paths = new List<string>();
        foreach (var (ext, text) in files)
        {
            var p = Path.Combine(directory, baseName + ext);
            AtomicFile.WriteAllText(p, text);
            paths.Add(p);
        }
        return paths;
    }
}
