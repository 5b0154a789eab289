using HarmoniousFeedback.Kernel.Polyglot;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Polyglot;

/// <summary>Cells of a Polyglot notebook whose language is only in the cell's metadata, as Jupyter sends them: text only.</summary>
public sealed class ForeignLanguageHintTests
{
    [Theory]
    [InlineData("let tempo = 120\nprintfn \"%d\" tempo", "F#", "fsharp")]
    [InlineData("open System\nlet x = 1", "F#", "fsharp")]
    [InlineData("type Chord = { Name: string }", "F#", "fsharp")]
    [InlineData("// comment first\n$tempo = 120\nWrite-Host $tempo", "PowerShell", "pwsh")]
    [InlineData("Get-ChildItem .", "PowerShell", "pwsh")]
    [InlineData("console.log(1 + 1);", "JavaScript", "javascript")]
    [InlineData("let x = 1;", "JavaScript", "javascript")]
    [InlineData("SELECT name FROM pieces WHERE valence > 0.5", "SQL", "sql")]
    [InlineData("Pieces\n| where Valence > 0.5\n| take 10", "KQL", "kql")]
    public void For_names_the_language_and_the_polyglot_kernel_name_of_a_foreign_cell(string cell, string language, string kernelName)
    {
        var hint = ForeignLanguageHint.For(cell);
        Assert.NotNull(hint);
        Assert.StartsWith($"hint: this cell looks like {language}, not C#", hint);
        Assert.Contains($"polyglot_notebook.kernelName \"{kernelName}\"", hint);
        Assert.EndsWith("hfb-kernel runs C# only: port the cell to C# or remove it", hint);
    }

    [Theory]
    [InlineData("graph TD\n  A --> B", "#!mermaid")]
    [InlineData("sequenceDiagram\n  A->>B: hi", "#!mermaid")]
    [InlineData("<div><b>bold</b></div>", "#!html")]
    [InlineData("## Results\nText", "#!markdown")]
    public void RenderSelector_names_the_selector_that_shows_a_cell_the_kernel_can_render(string cell, string selector)
    {
        Assert.Equal(selector, ForeignLanguageHint.RenderSelector(cell));
        Assert.Null(ForeignLanguageHint.For(cell));
    }

    [Theory]
    [InlineData("int x = \"s\";")]
    [InlineData("var total = Max-Min")]
    [InlineData("# if DEBUG\nundefined();\n#endif")]
    [InlineData("const int Bpm = 120; Bpm.Nope()")]
    [InlineData("$\"{undefined}\"")]
    [InlineData("")]
    [InlineData("// only a comment")]
    public void For_says_nothing_about_broken_CSharp(string cell)
    {
        Assert.Null(ForeignLanguageHint.For(cell));
        Assert.Null(ForeignLanguageHint.RenderSelector(cell));
    }
}
