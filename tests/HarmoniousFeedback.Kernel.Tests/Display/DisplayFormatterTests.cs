using HarmoniousFeedback.Kernel.Display;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Display;

public sealed class DisplayFormatterTests
{
    private sealed class Figure
    {
        public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string> { ["image/svg+xml"] = "<svg/>" };
        public override string ToString() => "Figure(1 panel)";
    }

    private sealed class Broken
    {
        public IReadOnlyDictionary<string, string> ToMimeBundle() => throw new InvalidOperationException("no data");
    }

    private sealed record Row(string Name, double Score);

    [Fact]
    public void ToMimeBundle_is_used_and_gets_plain_text_fallback()
    {
        var bundle = DisplayFormatter.Format(new Figure());
        Assert.Equal("<svg/>", bundle[MimeTypes.Svg]);
        Assert.Equal("Figure(1 panel)", bundle[MimeTypes.PlainText]);
    }

    [Fact]
    public void ToMimeBundle_that_throws_names_type_and_cause()
    {
        var e = Assert.Throws<DisplayException>(() => DisplayFormatter.Format(new Broken()));
        Assert.Equal("Broken.ToMimeBundle() threw InvalidOperationException: no data", e.Message);
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(0.1, "0.1")]
    [InlineData(42, "42")]
    [InlineData("plain", "plain")]
    [InlineData(null, "null")]
    public void Scalars_are_invariant_plain_text(object? value, string expected)
    {
        var bundle = DisplayFormatter.Format(value);
        Assert.Equal(expected, bundle[MimeTypes.PlainText]);
        Assert.Single(bundle);
    }

    [Fact]
    public void NumberArray_plain_list_and_html_ordered_list()
    {
        var bundle = DisplayFormatter.Format(new[] { 1.5, 2.0 });
        Assert.Equal("double[](2) { 1.5, 2 }", bundle[MimeTypes.PlainText]);
        Assert.Equal("<ol start=\"0\"><li>1.5</li><li>2</li></ol>", bundle[MimeTypes.Html]);
    }

    [Fact]
    public void Records_become_html_table_with_encoded_cells()
    {
        var html = DisplayFormatter.Format(new List<Row> { new("a<b", 0.5) })[MimeTypes.Html];
        Assert.Equal("<table><thead><tr><th>#</th><th>Name</th><th>Score</th></tr></thead><tbody><tr><td>0</td><td>&quot;a&lt;b&quot;</td><td>0.5</td></tr></tbody></table>", html);
    }

    [Fact]
    public void LongSequences_are_truncated_with_count()
    {
        var bundle = DisplayFormatter.Format(Enumerable.Range(0, 250).ToList());
        Assert.EndsWith("<p>… (150 more)</p>", bundle[MimeTypes.Html]);
        Assert.Equal(DisplayFormatter.MaxItems, bundle[MimeTypes.Html].Split("<li>").Length - 1);
        Assert.StartsWith("List<int>(250) { 0, 1, 2,", bundle[MimeTypes.PlainText]);
        Assert.EndsWith("19, … }", bundle[MimeTypes.PlainText]);
        // Lazy infinite sequences are only enumerated up to the limit.
        Assert.Contains("(more)", DisplayFormatter.Format(Enumerable.Range(0, int.MaxValue).Select(i => i))[MimeTypes.Html]);
    }

    [Fact]
    public void Dictionary_is_key_value_table()
    {
        var bundle = DisplayFormatter.Format(new Dictionary<string, int> { ["happy"] = 3 });
        Assert.Equal("Dictionary<string, int>(1) { [\"happy\"] = 3 }", bundle[MimeTypes.PlainText]);
        Assert.Contains("<tr><td>&quot;happy&quot;</td><td>3</td></tr>", bundle[MimeTypes.Html]);
    }

    [Fact]
    public void Helpers_produce_their_mime_types()
    {
        Assert.Equal("iVBORw==", DisplayFormatter.Format(new PngImage([0x89, 0x50, 0x4E, 0x47]))[MimeTypes.Png]);
        Assert.Equal("<b>x</b>", DisplayFormatter.Format(new HtmlContent("<b>x</b>"))[MimeTypes.Html]);
        Assert.Equal("{\"a\":1}", DisplayFormatter.Format(new JsonContent("{\"a\":1}"))[MimeTypes.Json]);
        var data = KernelHost.BundleToJson(DisplayFormatter.Format(new JsonContent("{\"a\":1}")));
        Assert.Equal(1, data[MimeTypes.Json]!["a"]!.GetValue<int>()); // embedded as JSON, not as a string
    }
}

/// <summary>A fact that needs rsvg-convert (Debian <c>librsvg2-bin</c>); skipped, saying so, when it is absent.</summary>
public sealed class RsvgFactAttribute : FactAttribute
{
    public RsvgFactAttribute()
    {
        if (!HarmoniousFeedback.Kernel.Display.SvgExport.IsAvailable) Skip = "needs rsvg-convert ('apt-get install -y librsvg2-bin')";
    }
}

public sealed class SvgExportTests
{
    private const string Figure = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"><rect width=\"40\" height=\"30\" fill=\"#123456\"/></svg>";

    [RsvgFact]
    public void Enrich_publishes_the_svg_as_html_with_a_2x_png_that_shows_once_the_live_marker_is_stripped()
    {
        var bundle = HarmoniousFeedback.Kernel.Display.SvgExport.Enrich(new Dictionary<string, string> { ["image/svg+xml"] = Figure, ["text/plain"] = "Figure 'x'" });
        var png = Convert.FromBase64String(bundle["image/png"]);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        // IHDR width and height (big-endian at bytes 16..23): the SVG's 40 × 30 px at zoom 2.
        Assert.Equal(80, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(60, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
        var html = bundle["text/html"];
        Assert.StartsWith("<div class=\"hfb-figure\" data-hfb-live=\"1\">", html);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\">", html); // inline, without the XML prolog
        Assert.DoesNotContain("<?xml", html);
        Assert.Contains($"<img class=\"hfb-figure-png\" src=\"data:image/png;base64,{bundle["image/png"]}\" width=\"40\" height=\"30\" alt=\"Figure &#39;x&#39;\">", html);
        Assert.Contains("<style>" + HarmoniousFeedback.Kernel.Display.SvgExport.Style + "</style>", html);
        Assert.False(bundle.ContainsKey("image/svg+xml")); // nbconvert's LaTeX exporter would need Inkscape for it
        Assert.Equal("Figure 'x'", bundle["text/plain"]);
    }

    [Fact]
    public void Enrich_leaves_bundles_without_svg_or_with_their_own_html_unchanged()
    {
        var html = new Dictionary<string, string> { ["image/svg+xml"] = Figure, ["text/html"] = "<b>own</b>" };
        Assert.Same(html, HarmoniousFeedback.Kernel.Display.SvgExport.Enrich(html));
        var text = new Dictionary<string, string> { ["text/plain"] = "x" };
        Assert.Same(text, HarmoniousFeedback.Kernel.Display.SvgExport.Enrich(text));
    }
}
