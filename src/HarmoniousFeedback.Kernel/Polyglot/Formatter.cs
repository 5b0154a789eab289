using System.Collections.Concurrent;
using HarmoniousFeedback.Kernel.Display;

// The namespace of .NET Interactive's Formatter (imported into every cell), so that notebooks written for Polyglot
// Notebooks that register formatters compile and run unchanged.
namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary>
/// Formatters for users' own types, in .NET Interactive's shape:
/// <code>
/// Formatter.Register&lt;Chord&gt;((chord, writer) =&gt; writer.Write($"&lt;b&gt;{chord.Name}&lt;/b&gt;"), "text/html");
/// Formatter.Register&lt;Chord&gt;(chord =&gt; chord.ToSvg(), "image/svg+xml");
/// Formatter.Register&lt;Chord&gt;(chord =&gt; chord.RenderPng(), "image/png");   // bytes, sent base64-encoded
/// </code>
/// A value is displayed with, per MIME type, the formatter registered for the most specific of its types (the type
/// itself, then its base classes nearest first, then its interfaces; a later registration for the same type and MIME
/// type replaces the earlier one), plus <c>text/plain</c> from <c>ToString()</c> when none is registered for it.
/// Registered formatters take precedence over the <c>ToMimeBundle()</c> convention and the built-in formats
/// (<see cref="DisplayFormatter"/>). The default MIME type is <c>text/html</c>, as in .NET Interactive; PNG formatters
/// return the PNG bytes (or write base64 text through the <see cref="TextWriter"/> overloads).
/// </summary>
public static class Formatter
{
    private static readonly ConcurrentDictionary<(Type Type, string MimeType), Func<object, string>> s_formatters = new();

    /// <summary>Registers a formatter that writes <paramref name="mimeType"/> data for values of type <typeparamref name="T"/>.</summary>
    public static void Register<T>(Action<T, TextWriter> formatter, string mimeType = MimeTypes.Html)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Register(typeof(T), (value, writer) => formatter((T)value, writer), mimeType);
    }

    /// <summary>Registers a formatter that returns <paramref name="mimeType"/> data for values of type <typeparamref name="T"/>.</summary>
    public static void Register<T>(Func<T, string> formatter, string mimeType = MimeTypes.Html)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        s_formatters[(typeof(T), CheckMime(mimeType))] = value => formatter((T)value) ?? "";
    }

    /// <summary>Registers a formatter that returns binary image data (PNG by default) for values of type <typeparamref name="T"/>; it is sent base64-encoded.</summary>
    public static void Register<T>(Func<T, byte[]> formatter, string mimeType = MimeTypes.Png)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        s_formatters[(typeof(T), CheckMime(mimeType))] = value => Convert.ToBase64String(formatter((T)value) ?? []);
    }

    /// <summary>Registers a formatter for values of <paramref name="type"/> (and types derived from it).</summary>
    public static void Register(Type type, Action<object, TextWriter> formatter, string mimeType = MimeTypes.Html)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(formatter);
        s_formatters[(type, CheckMime(mimeType))] = value =>
        {
            using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            formatter(value, writer);
            return writer.ToString();
        };
    }

    /// <summary>Removes every registered formatter (the built-in formats stay).</summary>
    public static void ResetToDefault() => s_formatters.Clear();

    /// <summary>The value as <paramref name="mimeType"/> data, as a display would show it (<c>text/plain</c> by default).</summary>
    public static string ToDisplayString(this object? value, string mimeType = MimeTypes.PlainText)
    {
        var bundle = DisplayFormatter.Format(value);
        return bundle.TryGetValue(mimeType, out var data) ? data : bundle[MimeTypes.PlainText];
    }

    private static string CheckMime(string mimeType) =>
        string.IsNullOrWhiteSpace(mimeType) || !mimeType.Contains('/', StringComparison.Ordinal)
            ? throw new ArgumentException($"'{mimeType}' is not a MIME type (e.g. text/html, image/svg+xml, image/png, text/plain)", nameof(mimeType))
            : mimeType;

    /// <summary>The bundle from registered formatters for <paramref name="value"/>'s type, or null when none applies.</summary>
    internal static Dictionary<string, string>? TryFormat(object value)
    {
        if (s_formatters.IsEmpty) return null;
        var type = value.GetType();
        var candidates = new List<Type>();
        for (var t = type; t is not null; t = t.BaseType) candidates.Add(t);
        candidates.AddRange(type.GetInterfaces());
        Dictionary<string, string>? bundle = null;
        foreach (var mime in s_formatters.Keys.Select(k => k.MimeType).Distinct())
        {
            var owner = candidates.FirstOrDefault(c => s_formatters.ContainsKey((c, mime)));
            if (owner is null) continue;
            bundle ??= new Dictionary<string, string>();
            try { bundle[mime] = s_formatters[(owner, mime)](value); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new DisplayException($"the {mime} formatter registered for {owner.Name} threw {e.GetType().Name}: {e.Message}", e);
            }
        }
        return bundle;
    }
}
