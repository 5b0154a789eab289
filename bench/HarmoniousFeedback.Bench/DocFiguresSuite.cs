using HarmoniousFeedback.Tests.Plotting;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// Not a benchmark: <c>hfb-bench doc-figures [--out &lt;dir&gt;]</c> renders every figure of the gallery
/// (<c>tests/HarmoniousFeedback.Tests/Plotting/FigureGallery.cs</c>, compiled into this tool as well) to
/// <c>docs/figures/&lt;name&gt;.png</c> with librsvg's <c>rsvg-convert</c> at zoom 1. It lives here because this is the
/// repository's developer-tool executable; <c>FigureTests.Doc_figures_exist_for_every_gallery_figure_at_its_pixel_size</c>
/// checks the committed images.
/// </summary>
public sealed class DocFiguresSuite : IBenchSuite
{
    public string Name => "doc-figures";
    public string Description => "(tool) regenerate docs/figures/*.png from the figure gallery (needs rsvg-convert)";

    public int Run(string[] args)
    {
        int i = Array.IndexOf(args, "--out");
        var dir = i >= 0 && i + 1 < args.Length ? args[i + 1] : Path.Combine(RepoRoot(), "docs", "figures");
        foreach (var (name, figure) in FigureGallery.All())
        {
            var path = Path.Combine(dir, name + ".png");
            figure.SaveRenderedPng(path);
            Console.Error.WriteLine($"wrote {path} ({figure.Width} × {figure.Height} px)");
        }
        return 0;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "HarmoniousFeedback.sln"))) return d.FullName;
        throw new DirectoryNotFoundException($"no HarmoniousFeedback.sln in {Directory.GetCurrentDirectory()} or above; pass --out <dir>");
    }
}
