using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// The inputs (and plain-text results) of this kernel session's cells, for <c>history_request</c>: <c>tail</c> (the
/// last <c>n</c>), <c>range</c> (lines <c>start</c> ≤ line &lt; <c>stop</c> of session 0 — the current one — or of
/// <see cref="Session"/>), and <c>search</c> (a glob <c>pattern</c> over the whole input, <c>*</c> <c>?</c>
/// <c>[…]</c> as in IPython's SQLite GLOB; the last <c>n</c>, <c>unique</c> inputs once). Entries are
/// <c>[session, line, input]</c>, or <c>[session, line, [input, output]]</c> with <c>output: true</c> (output null
/// when the cell had no result). Kept in memory: earlier sessions are not remembered. Used on the shell thread only.
/// </summary>
internal sealed class CellHistory
{
    /// <summary>The session number entries carry (IPython numbers sessions from 1; a kernel restart starts a new history).</summary>
    public const int Session = 1;

    private readonly List<(int Line, string Input, string? Output)> _entries = [];

    /// <summary>Records a cell stored in history (<c>store_history</c>) under its execution count.</summary>
    public void Add(int line, string input, string? output) => _entries.Add((line, input, output));

    /// <summary>The <c>history</c> array for a <c>history_request</c>'s content; unknown access types give an empty array.</summary>
    public JsonArray Query(JsonObject request)
    {
        var output = Bool(request, "output");
        IEnumerable<(int Line, string Input, string? Output)> selected = Str(request, "hist_access_type") switch
        {
            "tail" => _entries.TakeLast(Math.Max(0, Int(request, "n") ?? 10)),
            "range" => Int(request, "session") is 0 or Session or null
                ? _entries.Where(e => e.Line >= (Int(request, "start") ?? 0) && (Int(request, "stop") is not { } stop || e.Line < stop))
                : [],
            "search" => Search(Str(request, "pattern") ?? "*", Int(request, "n"), Bool(request, "unique")),
            _ => [],
        };
        return new JsonArray(selected.Select(e => (JsonNode)new JsonArray(Session, e.Line,
            output ? new JsonArray(e.Input, e.Output) : JsonValue.Create(e.Input))).ToArray());
    }

    private IEnumerable<(int Line, string Input, string? Output)> Search(string pattern, int? n, bool unique)
    {
        var glob = new Regex("^" + GlobToRegex(pattern) + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
        var matches = _entries.Where(e => glob.IsMatch(e.Input)).ToList();
        if (unique)
        {
            var last = matches.GroupBy(e => e.Input).Select(g => g.Last()).ToHashSet();
            matches = matches.Where(last.Contains).ToList();
        }
        return n is { } count ? matches.TakeLast(Math.Max(0, count)) : matches;
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            var close = c == '[' ? glob.IndexOf(']', i + 2) : -1;
            if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else if (close > 0)
            {
                var set = glob[(i + 1)..close];
                sb.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = close;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static int? Int(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
}
