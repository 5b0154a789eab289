using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace HarmoniousFeedback.Kernel.Polyglot;

/// <summary>
/// The part of .NET Interactive's value sharing that has a meaning when every cell is C#, as C# code the kernel runs:
/// <list type="bullet">
/// <item><c>#!value --name x [--mime-type t] [--from-file path]</c> — the lines below it (or the file's text) become
/// the C# string variable <c>x</c>, shown with its MIME type;</item>
/// <item><c>#!set --name x --value v</c> — <c>v</c> is <c>@csharp:y</c> or <c>@value:y</c> (the variable <c>y</c>),
/// <c>@input:"prompt"</c> (a line typed in the front end's input box, <c>Console.ReadLine()</c>) or a literal (a
/// string); <c>--byref</c> and <c>--mime-type</c> are accepted and change nothing;</item>
/// <item><c>#!share --from csharp|value y [--as z]</c> — <c>y</c> is already a C# variable: nothing to do, or <c>z</c>
/// becomes a copy of it.</item>
/// </list>
/// Values of other kernels (<c>--from fsharp</c>, <c>@pwsh:</c> …), <c>@password:</c> and <c>--from-url</c> fail with a
/// <see cref="MagicCommandException"/> that says what is supported.
/// </summary>
public static class ValueSharing
{
    private static readonly HashSet<string> CSharpKernels = new(StringComparer.Ordinal) { "csharp", "c#", "C#", "cs", "value" };

    /// <summary>The words of a magic-command line; double-quoted parts are one word, without their quotes.</summary>
    public static IReadOnlyList<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line.Trim())
        {
            if (c == '"') { quoted = !quoted; any = true; continue; }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
                continue;
            }
            word.Append(c);
            any = true;
        }
        if (any) words.Add(word.ToString());
        return words;
    }

    /// <summary>A C# verbatim string literal for <paramref name="text"/>.</summary>
    public static string Literal(string text) => "@\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary><c>#!value</c>: the variable's name, its text and MIME type (null: plain text).</summary>
    /// <param name="directive">The <c>#!value --name …</c> line.</param>
    /// <param name="content">The lines below it.</param>
    /// <param name="workingDirectory">Base of a relative <c>--from-file</c>.</param>
    public static (string Name, string Value, string? MimeType) Value(string directive, string content, string workingDirectory)
    {
        var options = Options(directive, ["--name", "--mime-type", "--from-file", "--from-url", "--from-value"], out _);
        var name = Identifier(options, directive);
        if (options.ContainsKey("--from-url") || options.ContainsKey("--from-value"))
            throw new MagicCommandException($"'{directive}': hfb-kernel takes a #!value from the lines below it or from --from-file <path>; for a URL, download it in C# (new HttpClient().GetStringAsync(url))");
        var value = content;
        if (options.TryGetValue("--from-file", out var file))
        {
            var path = Path.GetFullPath(file, workingDirectory);
            try { value = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new MagicCommandException($"'{directive}': cannot read '{path}': {e.Message}");
            }
        }
        return (name, value, options.GetValueOrDefault("--mime-type"));
    }

    /// <summary><c>#!set</c> as C# code.</summary>
    public static string Set(string directive)
    {
        var options = Options(directive, ["--name", "--value", "--byref", "--mime-type"], out _);
        var name = Identifier(options, directive);
        if (!options.TryGetValue("--value", out var value))
            throw new MagicCommandException($"'{directive}': #!set needs --value (@csharp:<variable>, @value:<variable>, @input:\"prompt\" or a literal)");
        if (!value.StartsWith('@')) return $"var {name} = {Literal(value)};";
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var source = colon > 0 ? value[1..colon] : value[1..];
        var rest = colon > 0 ? value[(colon + 1)..] : "";
        return source switch
        {
            "input" => $"System.Console.Write({Literal(rest.Length > 0 ? rest + " " : "")}); var {name} = System.Console.ReadLine();",
            "password" => throw new MagicCommandException($"'{directive}': hfb-kernel has no password prompt; use @input:\"prompt\" (the answer is visible) or read the secret from an environment variable (Environment.GetEnvironmentVariable)"),
            _ when CSharpKernels.Contains(source) && SyntaxFacts.IsValidIdentifier(rest) => $"var {name} = {rest};",
            _ when CSharpKernels.Contains(source) => throw new MagicCommandException($"'{directive}': '{rest}' is not a C# variable name"),
            _ => throw new MagicCommandException($"'{directive}': values of the '{source}' kernel need .NET Interactive; hfb-kernel has C# only (@csharp:<variable>, @value:<variable>, @input:\"prompt\" or a literal)"),
        };
    }

    /// <summary><c>#!share</c> as C# code ("" when the variable is already there); <paramref name="exists"/> says whether a C# variable exists.</summary>
    public static string Share(string directive, Func<string, bool> exists)
    {
        var options = Options(directive, ["--from", "--as", "--mime-type"], out var positional, allowedPositional: 1);
        if (!options.TryGetValue("--from", out var from))
            throw new MagicCommandException($"'{directive}': #!share needs --from <kernel> and a variable name");
        var name = positional.FirstOrDefault();
        if (!CSharpKernels.Contains(from))
            throw new MagicCommandException($"'{directive}': sharing values from the '{from}' kernel needs .NET Interactive; hfb-kernel has C# only, so port that cell to C#");
        if (name is null || !SyntaxFacts.IsValidIdentifier(name))
            throw new MagicCommandException($"'{directive}': #!share needs the name of a C# variable after --from {from}");
        if (!exists(name)) throw new MagicCommandException($"'{directive}': no variable '{name}' has been declared in this notebook");
        if (options.TryGetValue("--as", out var alias))
        {
            if (!SyntaxFacts.IsValidIdentifier(alias)) throw new MagicCommandException($"'{directive}': --as '{alias}' is not a C# identifier");
            return $"var {alias} = {name};";
        }
        return "";
    }

    private static string Identifier(Dictionary<string, string> options, string directive)
    {
        if (!options.TryGetValue("--name", out var name)) throw new MagicCommandException($"'{directive}': --name <variable> is required");
        if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
            throw new MagicCommandException($"'{directive}': --name '{name}' is not a C# identifier (letters, digits, '_', not starting with a digit, not a keyword)");
        return name;
    }

    /// <summary>
    /// The <c>--option value</c> pairs after the command word (<c>--byref</c> maps to ""), and up to
    /// <paramref name="allowedPositional"/> other words; unknown options and extra words fail, naming the known options.
    /// </summary>
    private static Dictionary<string, string> Options(string directive, string[] known, out List<string> positional, int allowedPositional = 0)
    {
        var words = Words(directive);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        positional = [];
        for (var i = 1; i < words.Count; i++)
        {
            var w = words[i];
            if (!w.StartsWith("--", StringComparison.Ordinal))
            {
                if (positional.Count < allowedPositional) { positional.Add(w); continue; }
                throw new MagicCommandException($"'{directive}': unexpected '{w}' (options: {string.Join(", ", known)})");
            }
            if (!known.Contains(w)) throw new MagicCommandException($"'{directive}': unknown option '{w}' (options: {string.Join(", ", known)})");
            var hasValue = w != "--byref" && i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[w] = hasValue ? words[++i] : "";
        }
        return options;
    }
}
