using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace HarmoniousFeedback.Kernel.Display;

/// <summary>
/// Makes SVG outputs survive export, as measured with Debian's nbconvert 6.5.3: its HTML exporter passes
/// <c>image/svg+xml</c> through lxml's <c>clean_html</c> (SVG's drawing elements are stripped: a figure becomes an
/// empty box with its text spilled out), and its LaTeX/PDF exporter converts every <c>image/svg+xml</c> output with
/// Inkscape and fails without it. So a bundle with <c>image/svg+xml</c> and no <c>text/html</c> is published as:
/// <list type="bullet">
/// <item><c>text/html</c>: <c>&lt;div class="hfb-figure" data-hfb-live&gt;</c> holding a small style sheet, the PNG
/// as an <c>&lt;img&gt;</c> at the SVG's size and the SVG inline. The style shows the SVG and hides the image;
/// HTML outputs are first in the display order of Notebook, Lab, VS Code and nbconvert's HTML exporter, which copies
/// them unchanged, so the figure stays a vector drawing there. An export with <c>--HTMLExporter.sanitize_html=True</c>
/// (or any other <c>clean_html</c>) removes the <c>data-hfb-live</c> attribute with the SVG's drawing elements, and the
/// same style then hides the stripped SVG and shows the PNG;</item>
/// <item><c>image/png</c>: the SVG rendered by <c>rsvg-convert</c> (Debian <c>librsvg2-bin</c>) at 2× — what the
/// LaTeX/PDF exporter uses;</item>
/// <item>no <c>image/svg+xml</c> (the SVG is inside the HTML), so the LaTeX exporter needs no Inkscape.</item>
/// </list>
/// Without <c>rsvg-convert</c> the bundle stays as it was (the kernel logs the hint once); <c>HFB_KERNEL_SVG_PNG=0</c>
/// turns the conversion off.
/// </summary>
public static partial class SvgExport
{
    /// <summary>
    /// Live (the div keeps <c>data-hfb-live</c>): the PNG is hidden. Sanitized (the attribute is gone): everything but
    /// the PNG is hidden — the stripped SVG, and whatever an HTML parser moved out of it (an SVG <c>&lt;image&gt;</c>
    /// parsed as an HTML <c>&lt;img&gt;</c>, loose text, which the zero font size hides).
    /// </summary>
    internal const string Style = ".hfb-figure[data-hfb-live] > img.hfb-figure-png { display: none; } "
        + ".hfb-figure:not([data-hfb-live]) { font-size: 0; line-height: 0; } "
        + ".hfb-figure:not([data-hfb-live]) > :not(img.hfb-figure-png) { display: none; }";

    /// <summary>Rendering scale of the PNG relative to the SVG's size in CSS pixels.</summary>
    public const double Zoom = 2;

    private static readonly Lazy<string?> s_rsvg = new(FindRsvg);
    private static int s_hinted;

    [GeneratedRegex(@"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", RegexOptions.CultureInvariant)]
    private static partial Regex Prolog();

    [GeneratedRegex(@"<svg\b[^>]*?\bwidth\s*=\s*""(?<w>[\d.]+)(px)?""[^>]*?\bheight\s*=\s*""(?<h>[\d.]+)(px)?""", RegexOptions.CultureInvariant)]
    private static partial Regex SvgSize();

    /// <summary>True when SVG outputs gain a PNG and an export-proof HTML form (rsvg-convert found, not switched off).</summary>
    public static bool IsAvailable => Environment.GetEnvironmentVariable("HFB_KERNEL_SVG_PNG") != "0" && s_rsvg.Value is not null;

    /// <summary>The bundle with its SVG as <c>text/html</c> and <c>image/png</c> (see the class remarks); unchanged when not applicable.</summary>
    public static IReadOnlyDictionary<string, string> Enrich(IReadOnlyDictionary<string, string> bundle, TextWriter? log = null)
    {
        if (!bundle.TryGetValue(MimeTypes.Svg, out var svg) || bundle.ContainsKey(MimeTypes.Html)) return bundle;
        if (!IsAvailable)
        {
            if (Environment.GetEnvironmentVariable("HFB_KERNEL_SVG_PNG") != "0" && Interlocked.Exchange(ref s_hinted, 1) == 0)
                log?.WriteLine("hfb-kernel: rsvg-convert not found (apt-get install -y librsvg2-bin): SVG outputs carry no PNG, so they will not survive an nbconvert HTML/PDF export");
            return bundle;
        }
        string? png = bundle.TryGetValue(MimeTypes.Png, out var existing) ? existing : null;
        if (png is null)
        {
            try { png = Convert.ToBase64String(RenderPng(svg)); }
            catch (KernelException e)
            {
                log?.WriteLine("hfb-kernel: " + e.Message);
                return bundle;
            }
        }
        var inline = Prolog().Replace(svg, "", 1);
        var size = SvgSize().Match(inline);
        var sizeAttributes = size.Success ? $" width=\"{size.Groups["w"].Value}\" height=\"{size.Groups["h"].Value}\"" : "";
        var plain = bundle.TryGetValue(MimeTypes.PlainText, out var p) ? p : "figure";
        var html = "<div class=\"hfb-figure\" data-hfb-live=\"1\">"
                   + "<style>" + Style + "</style>"
                   // The image comes before the SVG: whatever an HTML parser does to a stripped SVG cannot move it.
                   + $"<img class=\"hfb-figure-png\" src=\"data:image/png;base64,{png}\"{sizeAttributes} alt=\"{WebUtility.HtmlEncode(plain)}\">"
                   + inline
                   + "</div>";
        var published = new Dictionary<string, string>(bundle) { [MimeTypes.Png] = png, [MimeTypes.Html] = html };
        published.Remove(MimeTypes.Svg);
        return published;
    }

    /// <summary>PNG bytes of <paramref name="svg"/> from <c>rsvg-convert --zoom 2</c> on a white background.</summary>
    /// <exception cref="KernelException">rsvg-convert is missing, fails or takes longer than 30 s.</exception>
    public static byte[] RenderPng(string svg)
    {
        var tool = s_rsvg.Value ?? throw new KernelException("rsvg-convert not found (apt-get install -y librsvg2-bin)");
        var psi = new ProcessStartInfo(tool, ["--format", "png", "--zoom", Zoom.ToString(System.Globalization.CultureInfo.InvariantCulture), "--background-color", "white"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new KernelException("rsvg-convert could not be started");
        var stderr = p.StandardError.ReadToEndAsync();
        using var png = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(png);
        p.StandardInput.Write(svg);
        p.StandardInput.Close();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new KernelException("rsvg-convert took longer than 30 s to render an SVG output; the output keeps its SVG only");
        }
        copy.Wait();
        if (p.ExitCode != 0) throw new KernelException($"rsvg-convert failed (exit code {p.ExitCode}) on an SVG output: {stderr.Result.Trim()}");
        return png.ToArray();
    }

    private static string? FindRsvg()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "rsvg-convert.exe" : "rsvg-convert");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
