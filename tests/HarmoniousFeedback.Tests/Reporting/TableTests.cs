using HarmoniousFeedback.Reporting;
using Xunit;

namespace HarmoniousFeedback.Tests.Reporting;

public class TableTests
{
    private static Table Sample()
    {
        var t = new Table("Model", "Accuracy (%)", "Note") { Caption = "Results", Label = "tab:r" };
        t.AddRow("SVM", "71.2 ± 2.3", "baseline");
        t.AddRow(new TableCell("HFN"), new TableCell("80.4 ± 1.9", Bold: true), "a, \"quoted\"\nnote");
        return t;
    }

    [Fact]
    public void Markdown_pipe_table_with_alignment_and_bold()
    {
        var md = Sample().ToMarkdown();
        Assert.Equal(
            "Table: Results\n\n" +
            "| Model | Accuracy (%) | Note |\n" +
            "|:---|---:|---:|\n" +
            "| SVM | 71.2 ± 2.3 | baseline |\n" +
            "| HFN | **80.4 ± 1.9** | a, \"quoted\" note |\n", md);
        var pipe = new Table("a").AddRow("x|y").ToMarkdown();
        Assert.Contains("x\\|y", pipe);
    }

    [Fact]
    public void Latex_booktabs_is_escaped()
    {
        var tex = Sample().ToLatex();
        Assert.Contains("\\begin{tabular}{lrr}", tex);
        Assert.Contains("\\toprule\nModel & Accuracy (\\%) & Note \\\\\n\\midrule\n", tex);
        Assert.Contains("HFN & \\textbf{80.4 $\\pm$ 1.9} &", tex);
        Assert.Contains("\\bottomrule", tex);
        Assert.Contains("\\caption{Results}\n\\label{tab:r}", tex);
        Assert.Equal(@"50\% \& \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}", Table.EscapeLatex("50% & $5 #1 a_b {x} ~ ^ \\"));
        Assert.Equal(@"$\kappa$ = 0.5, $\chi^2$ = 3 $\leq$ 4", Table.EscapeLatex("κ = 0.5, χ² = 3 ≤ 4"));
    }

    [Fact]
    public void Csv_follows_rfc4180()
    {
        var csv = Sample().ToCsv();
        Assert.Equal(
            "Model,Accuracy (%),Note\r\n" +
            "SVM,71.2 ± 2.3,baseline\r\n" +
            "HFN,80.4 ± 1.9,\"a, \"\"quoted\"\"\nnote\"\r\n", csv);
    }

    [Fact]
    public void Html_is_encoded_and_mime_bundle_complete()
    {
        var t = new Table("<b>", "x") { Caption = "a & b" };
        t.AddRow("<script>", "1");
        var html = t.ToHtml();
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("<caption>a &amp; b</caption>", html);
        var b = Sample().ToMimeBundle();
        Assert.Equal(["text/plain", "text/html", "text/markdown"], b.Keys);
        Assert.Contains("<b>80.4 ± 1.9</b>", b["text/html"]);
        Assert.Contains("80.4 ± 1.9", b["text/plain"]);
    }

    [Fact]
    public void Row_with_wrong_cell_count_names_the_columns()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new Table("a", "b").AddRow("1"));
        Assert.Contains("1 cells but the table has 2 columns (a, b)", e.Message);
    }

    [Fact]
    public void SaveAll_writes_four_formats()
    {
        var dir = TestPaths.TempDir();
        var paths = Sample().SaveAll(dir, "table1");
        Assert.Equal(4, paths.Count);
        Assert.Equal(Sample().ToCsv(), File.ReadAllText(Path.Combine(dir, "table1.csv")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }
}
