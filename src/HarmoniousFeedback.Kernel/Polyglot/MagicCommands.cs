namespace HarmoniousFeedback.Kernel.Polyglot;

/// <summary>What one part of a cell is: C# code, a Markdown or HTML block, or a magic command to run at that point.</summary>
public enum SegmentKind { CSharp, Markdown, Html, Mermaid, Value, Set, Share, Time, About, Whos, Who, LsMagic }

/// <summary>
/// One part of a cell. For <see cref="SegmentKind.CSharp"/> the text keeps the cell's line numbering (the cell's other
/// lines are blank), so compile errors and stack traces name the line the user sees.
/// </summary>
/// <param name="Directive">For <see cref="SegmentKind.Value"/>, <see cref="SegmentKind.Set"/> and <see cref="SegmentKind.Share"/>: the magic command's line with its options.</param>
public sealed record CellSegment(SegmentKind Kind, string Text, string Directive = "");

/// <summary>
/// The magic commands of .NET Interactive / Polyglot Notebooks that hfb-kernel understands, so that their notebooks
/// run unchanged. A line starting with <c>#!</c> is a magic command:
/// <list type="bullet">
/// <item>kernel selectors: <c>#!csharp</c> (<c>#!c#</c>, <c>#!C#</c>, <c>#!cs</c>) — the lines after it are C#;
/// <c>#!markdown</c> (<c>#!md</c>) — rendered as Markdown; <c>#!html</c> — shown as HTML; <c>#!mermaid</c> — a
/// Mermaid diagram (<c>text/vnd.mermaid</c>, which JupyterLab 4.1+ draws, with a Markdown <c>mermaid</c> block for
/// other front ends);</item>
/// <item><c>#!value --name x</c>, <c>#!set --name x --value …</c>, <c>#!share --from csharp|value y</c> — the value
/// sharing that has a meaning when every cell is C# (<see cref="ValueSharing"/>);</item>
/// <item><c>#!time</c> — after the rest of the cell ran, shows its wall time (<c>Wall time: 12.3ms</c>);</item>
/// <item><c>#!about</c> — the kernel's name, version, C#/.NET/Roslyn versions; <c>#!lsmagic</c> — this list;</item>
/// <item><c>#!whos</c> — a table of the notebook's variables (name, type, value); <c>#!who</c> — their names.</item>
/// </list>
/// Magic commands of other .NET Interactive kernels (F#, PowerShell, JavaScript, SQL, KQL,
/// <c>#!connect</c> …) and unknown ones fail the cell with a <see cref="MagicCommandException"/> naming the command
/// and the supported ones. A cell without magic commands is one C# segment, unchanged.
/// </summary>
public static class MagicCommands
{
    private static readonly Dictionary<string, SegmentKind> Known = new(StringComparer.Ordinal)
    {
        ["#!csharp"] = SegmentKind.CSharp, ["#!c#"] = SegmentKind.CSharp, ["#!C#"] = SegmentKind.CSharp, ["#!cs"] = SegmentKind.CSharp,
        ["#!markdown"] = SegmentKind.Markdown, ["#!md"] = SegmentKind.Markdown,
        ["#!html"] = SegmentKind.Html, ["#!mermaid"] = SegmentKind.Mermaid,
        ["#!time"] = SegmentKind.Time, ["#!about"] = SegmentKind.About, ["#!whos"] = SegmentKind.Whos, ["#!who"] = SegmentKind.Who,
        ["#!lsmagic"] = SegmentKind.LsMagic,
    };

    private const string PortIt = "port the cell to C# or remove it";

    /// <summary>
    /// Magic commands of other .NET Interactive kernels and features: what they need (named in the error) and what to
    /// do instead in a C#-only kernel.
    /// </summary>
    private static readonly Dictionary<string, (string Needs, string Instead)> OtherKernels = new(StringComparer.Ordinal)
    {
        ["#!fsharp"] = ("F#", PortIt), ["#!f#"] = ("F#", PortIt), ["#!F#"] = ("F#", PortIt), ["#!fs"] = ("F#", PortIt),
        ["#!pwsh"] = ("PowerShell", PortIt + " (System.Diagnostics.Process runs a command)"), ["#!powershell"] = ("PowerShell", PortIt + " (System.Diagnostics.Process runs a command)"),
        ["#!javascript"] = ("JavaScript", PortIt + ", or put the script in a #!html cell inside <script>"), ["#!js"] = ("JavaScript", PortIt + ", or put the script in a #!html cell inside <script>"),
        ["#!sql"] = ("SQL", "query from C# with the database's ADO.NET package (#r \"nuget: Microsoft.Data.SqlClient\", Microsoft.Data.Sqlite …)"),
        ["#!kql"] = ("KQL", "query from C# with #r \"nuget: Microsoft.Azure.Kusto.Data\""),
        ["#!http"] = ("HTTP", "send the request from C# with System.Net.Http.HttpClient"),
        ["#!connect"] = ("kernel connections", "connect from C# with the service's .NET client package (#r \"nuget: …\")"),
        ["#!import"] = ("notebook import", "#load a .csx file with the shared code"),
        ["#!log"] = ("diagnostic logging", "remove the line"),
    };

    /// <summary>The supported magic commands with a one-line description each (what <c>#!lsmagic</c> shows).</summary>
    public static IReadOnlyList<(string Command, string Description)> Supported { get; } =
    [
        ("#!csharp", "the following lines are C# (also #!c#, #!C#, #!cs; C# is the default)"),
        ("#!markdown", "the following lines are Markdown, rendered below the cell (also #!md)"),
        ("#!html", "the following lines are HTML, shown below the cell"),
        ("#!mermaid", "the following lines are a Mermaid diagram, drawn below the cell (JupyterLab 4.1+; elsewhere shown as its source)"),
        ("#!value", "#!value --name x [--mime-type t] [--from-file path]: the following lines (or the file) become the C# string x"),
        ("#!set", "#!set --name x --value (@csharp:y | @value:y | @input:\"prompt\" | literal): declare the C# variable x"),
        ("#!share", "#!share --from csharp|value y [--as z]: y is already a C# variable; --as copies it to z"),
        ("#!time", "after the rest of the cell ran, show its wall time"),
        ("#!about", "show the kernel's name and versions"),
        ("#!whos", "show a table of the notebook's variables: name, type, value"),
        ("#!who", "show the names of the notebook's variables"),
        ("#!lsmagic", "list these magic commands"),
    ];

    /// <summary>Splits a cell into segments (see the class remarks).</summary>
    /// <exception cref="MagicCommandException">an unsupported or unknown magic command (the message names it).</exception>
    public static IReadOnlyList<CellSegment> Parse(string cell)
    {
        if (!cell.Contains("#!", StringComparison.Ordinal)) return [new CellSegment(SegmentKind.CSharp, cell)];
        var lines = cell.Split('\n');
        var segments = new List<CellSegment>();
        var kind = SegmentKind.CSharp;
        var start = 0;
        var directive = "";

        void Close(int end)
        {
            if (kind == SegmentKind.Value)
            {
                var value = end <= start ? "" : string.Join('\n', lines[start..end]).Trim('\n', '\r');
                if (directive.Length > 0) segments.Add(new CellSegment(SegmentKind.Value, value, directive));
                else if (value.Trim().Length > 0) throw new MagicCommandException($"line {start + 1}: a #!value cell needs a '#!value --name <variable>' line above its value");
                directive = "";
                return;
            }
            if (end <= start || lines[start..end].All(string.IsNullOrWhiteSpace)) return;
            if (kind == SegmentKind.CSharp)
            {
                // Keep the cell's numbering: lines outside the segment stay as empty lines.
                var aligned = new string[end];
                for (var i = 0; i < end; i++) aligned[i] = i >= start ? lines[i] : "";
                segments.Add(new CellSegment(kind, string.Join('\n', aligned)));
            }
            else
            {
                segments.Add(new CellSegment(kind, string.Join('\n', lines[start..end]).Trim('\n', '\r')));
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("#!", StringComparison.Ordinal)) continue;
            var name = trimmed.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd('\r');
            if (name is "#!value" or "#!set" or "#!share")
            {
                // Polyglot writes a value cell as the selector '#!value' (its kernel) and then '#!value --name x'.
                var line = trimmed.TrimEnd('\r');
                Close(i);
                if (name == "#!value")
                {
                    if (line != "#!value" && ValueSharing.Words(line).Contains("--name")) directive = line;
                    else if (line != "#!value") throw new MagicCommandException($"line {i + 1}: '{line}': #!value needs --name <variable>");
                    kind = SegmentKind.Value;
                }
                else
                {
                    segments.Add(new CellSegment(name == "#!set" ? SegmentKind.Set : SegmentKind.Share, "", line));
                }
                start = i + 1;
                continue;
            }
            if (!Known.TryGetValue(name, out var magic)) throw new MagicCommandException(Unsupported(name, i + 1));
            Close(i);
            if (magic is SegmentKind.CSharp or SegmentKind.Markdown or SegmentKind.Html or SegmentKind.Mermaid) kind = magic;
            else segments.Add(new CellSegment(magic, ""));
            start = i + 1;
        }
        Close(lines.Length);
        return segments.Count > 0 ? segments : [new CellSegment(SegmentKind.CSharp, "")];
    }

    private static string Unsupported(string name, int line)
    {
        var supported = string.Join(", ", Supported.Select(s => s.Command));
        return OtherKernels.TryGetValue(name, out var other)
            ? $"line {line}: the magic command '{name}' needs .NET Interactive's {other.Needs} support; hfb-kernel runs C# only: {other.Instead} (supported magic commands: {supported})"
            : $"line {line}: unknown magic command '{name}' (supported: {supported})";
    }
}

/// <summary>A cell uses a magic command hfb-kernel does not support; the message names it and the supported ones.</summary>
public sealed class MagicCommandException : KernelException
{
    public MagicCommandException(string message) : base(message) { }
}
