using System.Text.Json.Nodes;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class NotebookCommandTests
{
    private const string Dib = "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"}]}}\n\n#!markdown\n\n# Title\n\n#!csharp\n\nvar x = 1;\nx + 1\n\n#!fsharp\n\nlet y = 2\n";

    [Fact]
    public void Convert_writes_an_ipynb_with_markdown_and_code_cells_for_the_csharp_kernel()
    {
        var dir = Hfb.TempDir();
        var dib = Path.Combine(dir, "tour.dib");
        File.WriteAllText(dib, Dib);
        var r = Hfb.Run("notebook", "convert", dib);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var nb = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tour.ipynb")))!;
        Assert.Equal(4, nb["nbformat"]!.GetValue<int>());
        Assert.Equal("hfb-csharp", nb["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        var cells = nb["cells"]!.AsArray();
        Assert.Equal(["markdown", "code", "code"], cells.Select(c => c!["cell_type"]!.GetValue<string>()));
        Assert.Equal("# Title", string.Concat(cells[0]!["source"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Equal("var x = 1;\nx + 1", string.Concat(cells[1]!["source"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Equal("#!fsharp\nlet y = 2", string.Concat(cells[2]!["source"]!.AsArray().Select(l => l!.GetValue<string>()))); // kept, so the kernel names what it cannot run
        Assert.Equal("fsharp", cells[2]!["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());

        var again = Hfb.Run("notebook", "convert", dib, "--out", Path.Combine(dir, "tour.ipynb"));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists; pass --force", again.StdErr);
        Assert.Equal(0, Hfb.Run("notebook", "convert", dib, "--force", "--polyglot-name").ExitCode);
        Assert.Equal(".net-csharp", JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tour.ipynb")))!["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("missing.dib", "does not exist")]
    [InlineData("notes.txt", "is not a .dib file")]
    public void Convert_rejects_a_missing_or_non_dib_input_with_exit_code_2(string name, string message)
    {
        var dir = Hfb.TempDir();
        if (name.EndsWith(".txt", StringComparison.Ordinal)) File.WriteAllText(Path.Combine(dir, name), "x");
        var r = Hfb.Run("notebook", "convert", Path.Combine(dir, name));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.Empty(Directory.GetFiles(dir, "*.ipynb"));
    }
}
