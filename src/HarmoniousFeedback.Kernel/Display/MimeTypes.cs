namespace HarmoniousFeedback.Kernel.Display;

/// <summary>The MIME types the kernel renders (Jupyter "mimebundle" keys).</summary>
public static class MimeTypes
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";
    public const string Markdown = "text/markdown";

    /// <summary>A Mermaid diagram's source; JupyterLab 4.1+ and Notebook 7 draw it.</summary>
    public const string Mermaid = "text/vnd.mermaid";
    public const string Svg = "image/svg+xml";
    public const string Png = "image/png";
    public const string Json = "application/json";

    /// <summary>True for <c>application/json</c> and <c>application/*+json</c>, whose data is sent as a JSON value, not a string.</summary>
    public static bool IsJson(string mimeType) =>
        mimeType == Json || (mimeType.StartsWith("application/", StringComparison.Ordinal) && mimeType.EndsWith("+json", StringComparison.Ordinal));
}
