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
