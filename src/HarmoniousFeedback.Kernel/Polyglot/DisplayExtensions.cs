using HarmoniousFeedback.Kernel.Display;

// The namespace of .NET Interactive's types (imported into every cell), so that notebooks written for Polyglot
// Notebooks compile unchanged.
namespace Microsoft.DotNet.Interactive;

/// <summary>
/// .NET Interactive's display extension methods: <c>value.Display()</c>, <c>value.Display("text/html")</c> and
/// <c>"&lt;b&gt;x&lt;/b&gt;".DisplayAs("text/html")</c>, each returning an updatable <see cref="DisplayedValue"/>.
/// </summary>
public static class DisplayExtensions
{
    /// <summary>The sink of the running kernel (set by the script session); null outside a kernel.</summary>
    internal static Action<DisplayData>? Sink { get; set; }

    /// <summary>Displays <paramref name="value"/> below the cell, restricted to <paramref name="mimeTypes"/> when given.</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) =>
        DisplayedValue.Show(value, mimeTypes, Sink ?? throw new InvalidOperationException("Display() works inside the hfb-kernel only"));

    /// <summary>Displays a string that already is data of <paramref name="mimeType"/> (HTML, SVG, Markdown …).</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) =>
        DisplayedValue.Show(new RawContent(mimeType, value), [], Sink ?? throw new InvalidOperationException("DisplayAs() works inside the hfb-kernel only"));
}
