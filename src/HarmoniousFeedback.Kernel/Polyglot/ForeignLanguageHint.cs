using System.Text.RegularExpressions;

namespace HarmoniousFeedback.Kernel.Polyglot;

/// <summary>
/// Names the language of a cell that failed to compile as C# when it plainly is another Polyglot Notebooks language.
/// Polyglot keeps a cell's language in the cell's metadata (<c>polyglot_notebook.kernelName</c>), not in its text,
/// and Jupyter front ends (Notebook, Lab, nbclient) send the kernel only the text: an F#, PowerShell, SQL, HTML or
/// Mermaid cell of such a notebook arrives as if it were C#, and its compile errors alone do not say why. The guess
/// looks at the first line that is not blank or a <c>//</c> comment, with patterns that are never valid C# at the start
/// of a cell, and is only consulted after the C# compilation failed: a cell the kernel can show (HTML, Markdown,
/// Mermaid, <see cref="RenderSelector"/>) is then shown as its selector would show it; for the others the compile error
/// gets a hint naming the language (<see cref="For"/>).
/// </summary>
public static partial class ForeignLanguageHint
{
    private static readonly string[] MermaidDiagrams =
    [
        "graph", "flowchart", "sequenceDiagram", "classDiagram", "stateDiagram", "stateDiagram-v2", "erDiagram", "gantt",
        "pie", "journey", "gitGraph", "mindmap", "timeline", "quadrantChart",
    ];

    [GeneratedRegex(@"^(let\s+(mutable\s+|rec\s+)?[\w(]+.*=(?!.*;\s*$)|open\s+[A-Z]\w*(\.\w+)*\s*$|printfn\b|type\s+\w+(<[^>]*>)?\s*=|module\s+\w+)")]
    private static partial Regex FSharp();

    [GeneratedRegex(@"^(\$[A-Za-z_]\w*\s*=|(Get|Set|New|Write|Read|Import|Install|Invoke|Remove|Start|Stop|Test|Out|Select|Where|ForEach|Add|Clear|Export|ConvertTo|ConvertFrom|Format|Measure|Sort|Copy|Move)-[A-Z][A-Za-z]+\b)")]
    private static partial Regex PowerShell();

    [GeneratedRegex(@"^(console\.log\s*\(|function\s+\w+\s*\(|document\.|let\s+\w+\s*=.*;\s*$|const\s+\w+\s*=)")]
    private static partial Regex JavaScript();

    /// <summary>A Markdown heading; <c># if</c>, <c># region</c> … (a C# directive may have blanks after its <c>#</c>) excluded.</summary>
    [GeneratedRegex(@"^#{1,6}\s+(?!(if|elif|else|endif|define|undef|warning|error|line|region|endregion|pragma|nullable)\b)\S")]
    private static partial Regex MarkdownHeading();

    [GeneratedRegex(@"^(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\S+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|VIEW|INDEX)\s|DECLARE\s+@)", RegexOptions.IgnoreCase)]
    private static partial Regex Sql();

    [GeneratedRegex(@"^\s*\|\s*(where|take|project|summarize|extend|count|limit|sort|order|render|join)\b", RegexOptions.Multiline)]
    private static partial Regex Kql();

    private static string? FirstLine(string cell) => cell.Replace("\r", "", StringComparison.Ordinal).Split('\n')
        .Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal));

    /// <summary>
    /// For a cell that failed to compile as C# and plainly is HTML (its first line opens a tag), a Markdown heading or
    /// a Mermaid diagram — a Polyglot <c>html</c>, <c>markdown</c> or <c>mermaid</c> cell — the selector that shows it
    /// (<c>#!html</c>, <c>#!markdown</c>, <c>#!mermaid</c>); else null.
    /// </summary>
    public static string? RenderSelector(string cell)
    {
        if (FirstLine(cell) is not { } first) return null;
        var word = first.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd(';');
        if (MermaidDiagrams.Contains(word, StringComparer.Ordinal)) return "#!mermaid";
        if (first.Length > 1 && first[0] == '<' && (char.IsLetter(first[1]) || first[1] == '!')) return "#!html";
        if (MarkdownHeading().IsMatch(first)) return "#!markdown";
        return null;
    }

    /// <summary>The hint for a cell that failed to compile as C#, or null when it does not look like another language.</summary>
    public static string? For(string cell)
    {
        if (FirstLine(cell) is not { } first) return null;
        if (Sql().IsMatch(first)) return Foreign("SQL", "sql");
        if (Kql().IsMatch(cell)) return Foreign("KQL", "kql");
        if (PowerShell().IsMatch(first)) return Foreign("PowerShell", "pwsh");
        if (JavaScript().IsMatch(first)) return Foreign("JavaScript", "javascript");
        if (FSharp().IsMatch(first)) return Foreign("F#", "fsharp");
        return null;
    }

    private static string Foreign(string language, string kernelName) =>
        $"hint: this cell looks like {language}, not C# — in a Polyglot notebook, a cell whose metadata says polyglot_notebook.kernelName \"{kernelName}\" (Jupyter sends the kernel only the cell's text); hfb-kernel runs C# only: port the cell to C# or remove it";
}
