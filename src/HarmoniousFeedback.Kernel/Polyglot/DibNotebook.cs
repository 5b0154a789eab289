using System.Text.Json;
using System.Text.Json.Nodes;

namespace HarmoniousFeedback.Kernel.Polyglot;

/// <summary>
/// Reads Polyglot Notebooks' plain-text format (<c>.dib</c>) and writes a Jupyter notebook (nbformat 4.5). A
/// <c>.dib</c> file is a sequence of sections, each opened by a line that is a kernel selector alone
/// (<c>#!csharp</c>, <c>#!markdown</c>, <c>#!fsharp</c> …) or <c>#!meta</c>, whose JSON holds the notebook's
/// <c>kernelInfo</c>. Markdown sections become markdown cells; C# sections become code cells without the selector
/// line (C# is the kernel's default) and with the cell metadata Polyglot writes
/// (<c>dotnet_interactive.language</c>, <c>polyglot_notebook.kernelName</c>); sections of other languages keep their
/// selector line, so the kernel names what it cannot run. The <c>#!meta</c> JSON becomes the notebook's
/// <c>polyglot_notebook</c> metadata, so VS Code can still open the result as a Polyglot notebook.
/// </summary>
public static class DibNotebook
{
    private static readonly HashSet<string> KernelSelectors = new(StringComparer.Ordinal)
    {
        "csharp", "c#", "C#", "cs", "fsharp", "f#", "F#", "fs", "pwsh", "powershell", "javascript", "js", "html",
        "markdown", "md", "sql", "kql", "mermaid", "http", "value", "meta",
    };

    private static readonly HashSet<string> CSharpNames = new(StringComparer.Ordinal) { "csharp", "c#", "C#", "cs" };

    /// <summary>One section of a <c>.dib</c> file: its kernel (as written after <c>#!</c>) and its text without blank edge lines.</summary>
    public sealed record Section(string Kernel, string Text);

    /// <summary>Splits <c>.dib</c> text into its sections (text before the first selector is C#).</summary>
    public static IReadOnlyList<Section> Parse(string dib)
    {
        var lines = dib.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var known = new HashSet<string>(KernelSelectors, StringComparer.Ordinal);
        // Kernels the file itself declares (#!meta kernelInfo items and aliases) are selectors too.
        var metaAt = Array.FindIndex(lines, l => l.Trim() == "#!meta");
        if (metaAt >= 0 && TryMeta(string.Join('\n', lines.Skip(metaAt + 1).TakeWhile(l => !l.StartsWith("#!", StringComparison.Ordinal)))) is { } meta)
        {
            foreach (var item in meta["kernelInfo"]?["items"]?.AsArray() ?? [])
            {
                if (item?["name"]?.GetValue<string>() is { } name) known.Add(name);
                foreach (var alias in item?["aliases"]?.AsArray() ?? []) if (alias?.GetValue<string>() is { } a) known.Add(a);
            }
        }
        var sections = new List<Section>();
        var kernel = "csharp";
        var body = new List<string>();
        void Close()
        {
            var text = string.Join('\n', body).Trim('\n');
            if (text.Trim().Length > 0 || kernel == "meta") sections.Add(new Section(kernel, text));
            body.Clear();
        }
        foreach (var line in lines)
        {
            var t = line.TrimEnd();
            if (t.StartsWith("#!", StringComparison.Ordinal) && !t.Contains(' ', StringComparison.Ordinal) && known.Contains(t[2..]))
            {
                Close();
                kernel = t[2..];
                continue;
            }
            body.Add(line);
        }
        Close();
        return sections;
    }

    /// <summary>The Jupyter notebook for <c>.dib</c> text, for the kernelspec <paramref name="kernelName"/>.</summary>
    public static JsonObject ToIpynb(string dib, string kernelName = Install.KernelSpec.Name, string displayName = Install.KernelSpec.DisplayName)
    {
        var cells = new JsonArray();
        JsonNode? polyglot = null;
        foreach (var section in Parse(dib))
        {
            if (section.Kernel == "meta")
            {
                polyglot = TryMeta(section.Text);
                continue;
            }
            if (section.Kernel is "markdown" or "md")
            {
                cells.Add(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = Source(section.Text) });
                continue;
            }
            var isCSharp = CSharpNames.Contains(section.Kernel);
            var language = isCSharp ? "csharp" : section.Kernel;
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject
                {
                    ["dotnet_interactive"] = new JsonObject { ["language"] = language },
                    ["polyglot_notebook"] = new JsonObject { ["kernelName"] = language },
                },
                ["outputs"] = new JsonArray(),
                ["source"] = Source(isCSharp ? section.Text : $"#!{section.Kernel}\n{section.Text}"),
            });
        }
        for (var i = 0; i < cells.Count; i++) cells[i]!["id"] = $"cell-{i + 1}";
        var metadata = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = displayName, ["language"] = "csharp", ["name"] = kernelName },
            ["language_info"] = new JsonObject { ["name"] = "csharp", ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp", ["pygments_lexer"] = "csharp" },
        };
        if (polyglot is not null) metadata["polyglot_notebook"] = polyglot;
        return new JsonObject { ["cells"] = cells, ["metadata"] = metadata, ["nbformat"] = 4, ["nbformat_minor"] = 5 };
    }

    /// <summary>Converts a <c>.dib</c> file to <paramref name="ipynbPath"/> (written atomically, indented like Jupyter: one space).</summary>
    /// <exception cref="KernelException">the input cannot be read or the output cannot be written.</exception>
    public static void Convert(string dibPath, string ipynbPath, string kernelName = Install.KernelSpec.Name, string displayName = Install.KernelSpec.DisplayName)
    {
        string dib;
        try { dib = File.ReadAllText(dibPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelException($"cannot read '{dibPath}': {e.Message}", e);
        }
        var json = ToIpynb(dib, kernelName, displayName).ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var tmp = ipynbPath + ".tmp-" + Environment.ProcessId;
        try
        {
            File.WriteAllText(tmp, json + "\n");
            File.Move(tmp, ipynbPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw new KernelException($"cannot write '{ipynbPath}': {e.Message}", e);
        }
    }

    /// <summary>Jupyter's source form: lines, each but the last ending in a newline.</summary>
    private static JsonArray Source(string text)
    {
        var lines = text.Split('\n');
        return new JsonArray(lines.Select((l, i) => (JsonNode)(i < lines.Length - 1 ? l + "\n" : l)).ToArray());
    }

    private static JsonNode? TryMeta(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }
}
