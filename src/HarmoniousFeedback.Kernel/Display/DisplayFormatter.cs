using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace HarmoniousFeedback.Kernel.Display;

/// <summary>
/// Turns a value into a MIME bundle (MIME type → data, <c>text/plain</c> always present). In order:
/// <list type="number">
/// <item>a formatter registered for the value's type (<see cref="Microsoft.DotNet.Interactive.Formatting.Formatter"/>);</item>
/// <item>an object with a public instance method <c>IReadOnlyDictionary&lt;string, string&gt; ToMimeBundle()</c> renders
/// through it (the display convention the toolkit's tables and figures implement; PNG data is base64);</item>
/// <item>strings and primitives as invariant-culture text (<c>true</c>/<c>false</c> for booleans);</item>
/// <item>dictionaries as a two-column HTML table; other sequences as an HTML table of their public properties (objects)
/// or an ordered list (scalars), truncated at <see cref="MaxItems"/> items;</item>
/// <item>anything else as <c>ToString()</c>.</item>
/// </list>
/// </summary>
public static class DisplayFormatter
{
    /// <summary>Items shown from a sequence before "… (n more)".</summary>
    public const int MaxItems = 100;

    /// <summary>Items shown in the plain-text form of a sequence.</summary>
    public const int MaxPlainItems = 20;

    /// <summary>
    /// Formats <paramref name="value"/> restricted to <paramref name="mimeTypes"/> (plus <c>text/plain</c>) when any
    /// are given, as <c>display(x, "text/html")</c> asks.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Format(object? value, IReadOnlyCollection<string> mimeTypes)
    {
        var bundle = Format(value);
        if (mimeTypes.Count == 0) return bundle;
        var kept = bundle.Where(kv => kv.Key == MimeTypes.PlainText || mimeTypes.Contains(kv.Key)).ToDictionary();
        if (kept.Count == 1 && mimeTypes.FirstOrDefault(m => m != MimeTypes.PlainText) is { } wanted && wanted is MimeTypes.Html or MimeTypes.Markdown)
            kept[wanted] = wanted == MimeTypes.Html ? "<pre>" + Encode(kept[MimeTypes.PlainText]) + "</pre>" : kept[MimeTypes.PlainText];
        return kept;
    }

    /// <summary>Formats <paramref name="value"/>; never throws for a misbehaving <c>ToString</c> (the exception text is shown instead).</summary>
    public static IReadOnlyDictionary<string, string> Format(object? value)
    {
        if (value is null) return Plain("null");
        if (Microsoft.DotNet.Interactive.Formatting.Formatter.TryFormat(value) is { } registered)
        {
            if (!registered.ContainsKey(MimeTypes.PlainText)) registered[MimeTypes.PlainText] = SafeToString(value);
            return registered;
        }
        if (TryMimeBundle(value, out var custom)) return custom;
        if (value is string s) return Plain(s);
        if (IsScalar(value)) return Plain(ScalarText(value));
        if (value is IDictionary dict) return FormatDictionary(dict);
        if (value is IEnumerable seq) return FormatSequence(value, seq);
        return Plain(SafeToString(value));
    }

    private static bool TryMimeBundle(object value, out IReadOnlyDictionary<string, string> bundle)
    {
        bundle = null!;
        var method = value.GetType().GetMethod("ToMimeBundle", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        if (method is null || !typeof(IReadOnlyDictionary<string, string>).IsAssignableFrom(method.ReturnType)) return false;
        IReadOnlyDictionary<string, string>? result;
        try
        {
            result = (IReadOnlyDictionary<string, string>?)method.Invoke(value, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new DisplayException($"{value.GetType().Name}.ToMimeBundle() threw {e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
        }
        if (result is null || result.Count == 0) throw new DisplayException($"{value.GetType().Name}.ToMimeBundle() returned an empty bundle");
        var copy = new Dictionary<string, string>(result);
        if (!copy.ContainsKey(MimeTypes.PlainText)) copy[MimeTypes.PlainText] = SafeToString(value);
        bundle = copy;
        return true;
    }

    private static Dictionary<string, string> Plain(string text) => new() { [MimeTypes.PlainText] = text };

    private static bool IsScalar(object v) =>
        v is bool or char or decimal or DateTime or DateTimeOffset or TimeSpan or Guid or Enum || v.GetType().IsPrimitive;

    private static string ScalarText(object v) => v switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string SafeToString(object v)
    {
        try { return v.ToString() ?? ""; }
        catch (Exception e) { return $"<{v.GetType().Name}.ToString() threw {e.GetType().Name}: {e.Message}>"; }
    }

    private static string ItemText(object? v) => v switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        _ when IsScalar(v) => ScalarText(v),
        _ => SafeToString(v),
    };

    /// <summary>C#-style type name: <c>List&lt;int&gt;</c>, <c>double[]</c>.</summary>
    public static string TypeName(Type t)
    {
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        var alias = Type.GetTypeCode(t) switch
        {
            TypeCode.Int32 => "int",
            TypeCode.Int64 => "long",
            TypeCode.Double => "double",
            TypeCode.Single => "float",
            TypeCode.String => "string",
            TypeCode.Boolean => "bool",
            TypeCode.Byte => "byte",
            TypeCode.Char => "char",
            TypeCode.Decimal => "decimal",
            TypeCode.Int16 => "short",
            TypeCode.UInt32 => "uint",
            TypeCode.UInt64 => "ulong",
            TypeCode.Object when t == typeof(object) => "object",
            _ => null,
        };
        if (alias is not null && !t.IsEnum) return alias;
        if (!t.IsGenericType) return t.Name;
        var name = t.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return name + "<" + string.Join(", ", t.GetGenericArguments().Select(TypeName)) + ">";
    }

    private static IReadOnlyDictionary<string, string> FormatSequence(object value, IEnumerable seq)
    {
        var items = new List<object?>();
        var more = false;
        foreach (var item in seq)
        {
            if (items.Count == MaxItems) { more = true; break; }
            items.Add(item);
        }
        var total = value is ICollection c ? c.Count : (int?)null;
        var countText = total?.ToString(CultureInfo.InvariantCulture) ?? (more ? $"{MaxItems}+" : items.Count.ToString(CultureInfo.InvariantCulture));

        var plain = new StringBuilder();
        plain.Append(TypeName(value.GetType())).Append('(').Append(countText).Append(") { ");
        plain.AppendJoin(", ", items.Take(MaxPlainItems).Select(ItemText));
        if (items.Count > MaxPlainItems || more) plain.Append(", …");
        plain.Append(" }");

        var elementType = items.FirstOrDefault(i => i is not null)?.GetType();
        var html = new StringBuilder();
        var props = elementType is null || IsScalar(items.First(i => i is not null)!) || elementType == typeof(string)
            ? []
            : elementType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        if (props.Length > 0)
        {
            html.Append("<table><thead><tr><th>#</th>");
            foreach (var p in props) html.Append("<th>").Append(Encode(p.Name)).Append("</th>");
            html.Append("</tr></thead><tbody>");
            for (var i = 0; i < items.Count; i++)
            {
                html.Append("<tr><td>").Append(i).Append("</td>");
                foreach (var p in props) html.Append("<td>").Append(Encode(ItemText(PropertyValue(p, items[i])))).Append("</td>");
                html.Append("</tr>");
            }
            html.Append("</tbody></table>");
        }
        else
        {
            html.Append("<ol start=\"0\">");
            foreach (var item in items) html.Append("<li>").Append(Encode(ItemText(item))).Append("</li>");
            html.Append("</ol>");
        }
        if (more || (total is int t && t > items.Count))
            html.Append("<p>… (").Append(total is int n ? (n - items.Count).ToString(CultureInfo.InvariantCulture) + " more" : "more").Append(")</p>");

        return new Dictionary<string, string> { [MimeTypes.PlainText] = plain.ToString(), [MimeTypes.Html] = html.ToString() };
    }

    private static object? PropertyValue(PropertyInfo p, object? target)
    {
        if (target is null || !p.DeclaringType!.IsInstanceOfType(target)) return null;
        try { return p.GetValue(target); }
        catch (TargetInvocationException e) { return $"<{e.InnerException?.GetType().Name}>"; }
    }

    private static IReadOnlyDictionary<string, string> FormatDictionary(IDictionary dict)
    {
        var plain = new StringBuilder().Append(TypeName(dict.GetType())).Append('(').Append(dict.Count).Append(") { ");
        var html = new StringBuilder("<table><thead><tr><th>key</th><th>value</th></tr></thead><tbody>");
        var shown = 0;
        foreach (DictionaryEntry e in dict)
        {
            if (shown == MaxItems) break;
            if (shown < MaxPlainItems) plain.Append(shown > 0 ? ", " : "").Append('[').Append(ItemText(e.Key)).Append("] = ").Append(ItemText(e.Value));
            html.Append("<tr><td>").Append(Encode(ItemText(e.Key))).Append("</td><td>").Append(Encode(ItemText(e.Value))).Append("</td></tr>");
            shown++;
        }
        if (dict.Count > MaxPlainItems) plain.Append(", …");
        plain.Append(" }");
        html.Append("</tbody></table>");
        if (dict.Count > shown) html.Append("<p>… (").Append(dict.Count - shown).Append(" more)</p>");
        return new Dictionary<string, string> { [MimeTypes.PlainText] = plain.ToString(), [MimeTypes.Html] = html.ToString() };
    }

    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}

/// <summary>A value's <c>ToMimeBundle()</c> threw or returned nothing usable.</summary>
public sealed class DisplayException : KernelException
{
    public DisplayException(string message) : base(message) { }
    public DisplayException(string message, Exception inner) : base(message, inner) { }
}
