using HarmoniousFeedback.Kernel.Display;

// The namespace of .NET Interactive's type, so that notebooks written for Polyglot Notebooks compile unchanged.
namespace Microsoft.DotNet.Interactive;

/// <summary>
/// A displayed output that can be replaced later, as .NET Interactive's <c>DisplayedValue</c>: returned by
/// <c>display(x)</c> and <c>x.Display()</c>; <see cref="Update"/> sends Jupyter's <c>update_display_data</c> with the
/// same <c>display_id</c>, so progress bars and live tables redraw in place (also after the cell finished).
/// </summary>
public sealed class DisplayedValue
{
    private readonly Action<DisplayData> _sink;

    internal DisplayedValue(string displayId, IReadOnlyList<string> mimeTypes, Action<DisplayData> sink)
    {
        DisplayId = displayId;
        MimeTypes = mimeTypes;
        _sink = sink;
    }

    /// <summary>The Jupyter <c>display_id</c> of the output.</summary>
    public string DisplayId { get; }

    /// <summary>The MIME types the output is restricted to (empty: every type the formatter produces).</summary>
    public IReadOnlyList<string> MimeTypes { get; }

    /// <summary>Replaces the displayed output with <paramref name="updatedValue"/>, formatted like the original.</summary>
    public void Update(object? updatedValue) => _sink(new DisplayData(DisplayFormatter.Format(updatedValue, MimeTypes), DisplayId, IsUpdate: true));

    public override string ToString() => $"DisplayedValue {DisplayId}";

    /// <summary>Publishes <paramref name="value"/> with a fresh display id and returns the handle.</summary>
    internal static DisplayedValue Show(object? value, IReadOnlyList<string> mimeTypes, Action<DisplayData> sink)
    {
        var shown = new DisplayedValue(Guid.NewGuid().ToString("N"), mimeTypes, sink);
        sink(new DisplayData(DisplayFormatter.Format(value, mimeTypes), shown.DisplayId));
        return shown;
    }
}
