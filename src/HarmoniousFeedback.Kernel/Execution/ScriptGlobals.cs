using HarmoniousFeedback.Kernel.Display;
using Microsoft.DotNet.Interactive;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// Members every cell can call without qualification (the Roslyn script "globals"): <c>display(x)</c>, <c>clear_output()</c>, the
/// rich-content helpers <c>Html</c>, <c>Svg</c>, <c>Markdown</c>, <c>Png</c>, <c>Json</c>, and .NET Interactive's
/// <c>HTML</c>, <c>Javascript</c>, <c>CSS</c>. Lower-case
/// <c>display</c> follows the Jupyter/IPython convention researchers already type.
/// </summary>
public class ScriptGlobals
{
    private readonly Action<DisplayData> _display;
    private readonly Action<bool> _clearOutput;

    internal ScriptGlobals(Action<DisplayData> display, Action<bool> clearOutput)
    {
        _display = display;
        _clearOutput = clearOutput;
    }

    /// <summary>
    /// Renders <paramref name="value"/> below the cell now (a <c>display_data</c> message), by the rules of
    /// <see cref="DisplayFormatter"/>, restricted to <paramref name="mimeTypes"/> when given (<c>display(x, "text/html")</c>);
    /// returns a handle whose <see cref="DisplayedValue.Update"/> replaces the output in place (.NET Interactive's shape).
    /// </summary>
    public DisplayedValue display(object? value, params string[] mimeTypes) => DisplayedValue.Show(value, mimeTypes, _display);

    /// <summary>Clears the cell's output (a <c>clear_output</c> message); with <paramref name="wait"/> the front end clears when the next output arrives, for flicker-free progress displays.</summary>
    public void clear_output(bool wait = false) => _clearOutput(wait);

    /// <summary>HTML to render as-is.</summary>
    public HtmlContent Html(string html) => new(html);

    /// <summary>An SVG document (<c>&lt;svg …&gt;…&lt;/svg&gt;</c>).</summary>
    public SvgContent Svg(string svg) => new(svg);

    /// <summary>Markdown text.</summary>
    public MarkdownContent Markdown(string markdown) => new(markdown);

    /// <summary>A PNG image from its encoded bytes.</summary>
    public PngImage Png(byte[] png) => new(png);

    /// <summary>A JSON document (must be valid JSON).</summary>
    public JsonContent Json(string json) => new(json);

    /// <summary>.NET Interactive's spelling of <see cref="Html"/> (<c>display(HTML("&lt;b&gt;…&lt;/b&gt;"))</c> in Polyglot notebooks).</summary>
    public HtmlContent HTML(string html) => new(html);

    /// <summary>
    /// Runs <paramref name="script"/> in the front end (.NET Interactive's <c>Javascript(…)</c>): published as
    /// <c>application/javascript</c> (the classic Notebook runs it) and as a <c>&lt;script&gt;</c> in <c>text/html</c>
    /// (JupyterLab runs it in a trusted notebook).
    /// </summary>
    public void Javascript(string script) => _display(new DisplayData(new Dictionary<string, string>
    {
        ["application/javascript"] = script,
        [MimeTypes.Html] = "<script type=\"text/javascript\">" + script + "</script>",
        [MimeTypes.PlainText] = "<script>",
    }));

    /// <summary>Adds a style sheet to the page (.NET Interactive's <c>CSS(…)</c>), as a <c>&lt;style&gt;</c> element in the output.</summary>
    public void CSS(string css) => _display(new DisplayData(new Dictionary<string, string>
    {
        [MimeTypes.Html] = "<style>" + css + "</style>",
        [MimeTypes.PlainText] = "<style>",
    }));
}
