namespace HarmoniousFeedback.Kernel.Display;

/// <summary>HTML to render as-is (<c>Html("&lt;b&gt;hi&lt;/b&gt;")</c> in a cell).</summary>
public sealed record HtmlContent(string Html)
{
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        [MimeTypes.Html] = Html,
        [MimeTypes.PlainText] = PlainTextPreview(Html),
    };

    internal static string PlainTextPreview(string markup) => markup.Length <= 200 ? markup : markup[..200] + "…";
}

/// <summary>An SVG document (<c>Svg("&lt;svg …&gt;…&lt;/svg&gt;")</c>).</summary>
public sealed record SvgContent(string Svg)
{
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        [MimeTypes.Svg] = Svg,
        [MimeTypes.PlainText] = "<svg image>",
    };
}

/// <summary>Markdown text (<c>Markdown("# Title")</c>); its plain-text form is the markdown source.</summary>
public sealed record MarkdownContent(string Markdown)
{
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        [MimeTypes.Markdown] = Markdown,
        [MimeTypes.PlainText] = Markdown,
    };
}

/// <summary>A PNG image from its encoded bytes (<c>Png(File.ReadAllBytes("fig.png"))</c>); sent base64-encoded.</summary>
public sealed record PngImage(byte[] Bytes)
{
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        [MimeTypes.Png] = Convert.ToBase64String(Bytes),
        [MimeTypes.PlainText] = $"<PNG image, {Bytes.Length} bytes>",
    };
}

/// <summary>A JSON document shown by JSON-aware front ends (<c>Json("{\"a\":1}")</c>); must be valid JSON.</summary>
public sealed record JsonContent(string Json)
{
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        [MimeTypes.Json] = Json,
        [MimeTypes.PlainText] = HtmlContent.PlainTextPreview(Json),
    };
}

/// <summary>Data of any MIME type, shown as given (<c>"…".DisplayAs("image/svg+xml")</c>).</summary>
public sealed record RawContent(string MimeType, string Data)
{
    public IReadOnlyDictionary<string, string> ToMimeBundle() => MimeType == MimeTypes.PlainText
        ? new Dictionary<string, string> { [MimeTypes.PlainText] = Data }
        : new Dictionary<string, string> { [MimeType] = Data, [MimeTypes.PlainText] = HtmlContent.PlainTextPreview(Data) };
}
