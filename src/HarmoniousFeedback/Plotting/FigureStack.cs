using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// Several <see cref="Figure"/>s of one width stacked top to bottom in one SVG document, their plot areas aligned: every
/// panel gets the widest left and right margins any panel needs, so the same x value falls on the same pixel column in
/// every panel (a spectrogram above its attention map above per-frame scores, all over time). Each panel is a nested
/// <c>&lt;svg&gt;</c> at its offset with its own ids (prefixed by the panel number, so the document's ids are unique); an
/// optional <see cref="Title"/> is drawn above the first. Deterministic: same panels → same bytes. Knows no model.
/// </summary>
public sealed partial class FigureStack
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <exception cref="FigureException">No panel, or panels of different widths.</exception>
    public FigureStack(IEnumerable<Figure> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        Panels = panels.ToArray();
        if (Panels.Count == 0) throw new FigureException("a figure stack needs at least one panel");
        if (Panels.Any(p => p.Width != Panels[0].Width))
            throw new FigureException($"stacked panels must have one width; got {string.Join(", ", Panels.Select(p => p.Width))} px");
    }

    public IReadOnlyList<Figure> Panels { get; }

    /// <summary>Title drawn above the panels (bold, the first panel's title size), or null.</summary>
    public string? Title { get; set; }

    /// <summary>Canvas width (px): the panels' width.</summary>
    public int Width => Panels[0].Width;

    /// <summary>Canvas height (px): the panels' heights plus the title's band.</summary>
    public int Height => (int)Math.Ceiling(TitleBand + Panels.Sum(p => p.Height));

    private double TitleBand => Title is null ? 0 : Panels[0].Style.TitleSize + 16;

    /// <summary>The stack as one standalone SVG 1.1 document.</summary>
    public string ToSvg()
    {
        double left = 0, right = 0;
        foreach (var p in Panels)
        {
            var (l, r) = p.Margins();
            left = Math.Max(left, l);
            right = Math.Max(right, r);
        }
        var st = Panels[0].Style;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"{SecurityElement.Escape(st.FontFamily)}\">\n");
        if (Title is not null) sb.Append($"<title>{SecurityElement.Escape(Title)}</title>\n");
        sb.Append(Inv, $"<rect class=\"background\" x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        if (Title is not null)
            sb.Append(Inv, $"<text class=\"stack-title\" x=\"{Width / 2.0:0.##}\" y=\"{8 + st.TitleSize:0.##}\" font-size=\"{st.TitleSize:0.##}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#000000\">{SecurityElement.Escape(Title)}</text>\n");
        double y = TitleBand;
        for (int i = 0; i < Panels.Count; i++)
        {
            string svg = Panels[i].Render(left, right, out _, out _);
            var id = ClipId().Match(svg);
            if (id.Success)
            {
                string old = id.Groups[1].Value, fresh = $"p{i}-{old}";
                svg = svg.Replace($"id=\"{old}-", $"id=\"{fresh}-", StringComparison.Ordinal).Replace($"url(#{old}-", $"url(#{fresh}-", StringComparison.Ordinal);
            }
            if (!svg.StartsWith("<svg ", StringComparison.Ordinal)) throw new FigureException("panel SVG does not start with <svg>");
            sb.Append(Inv, $"<svg class=\"panel\" x=\"0\" y=\"{y:0.##}\" ").Append(svg.AsSpan(5));
            y += Panels[i].Height;
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    [GeneratedRegex("<clipPath id=\"(hfb[0-9a-f]{8})-clip\"")]
    private static partial Regex ClipId();

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/> atomically (UTF-8).</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, ToSvg());

    /// <summary>Renders the SVG to PNG with librsvg's <c>rsvg-convert</c> (as <see cref="Figure.SaveRenderedPng"/>) and writes it atomically.</summary>
    /// <exception cref="ExternalToolException">rsvg-convert is not installed or fails.</exception>
    public void SaveRenderedPng(string path, double zoom = 1)
    {
        if (!(zoom > 0 && zoom <= 8)) throw new FigureException($"zoom = {zoom.ToString(Inv)} must be in (0, 8]");
        AtomicFile.WriteAllBytes(path, Figure.RenderWithRsvg(ToSvg(), zoom));
    }

    /// <summary>Rich display for notebooks: image/svg+xml and a text/plain description.</summary>
    public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
    {
        ["image/svg+xml"] = ToSvg(),
        ["text/plain"] = ToString(),
    };

    public override string ToString() => $"FigureStack{(Title is null ? "" : $" '{Title}'")} {Width}×{Height}: {string.Join(" / ", Panels.Select(p => p.Title ?? "panel"))}";
}
