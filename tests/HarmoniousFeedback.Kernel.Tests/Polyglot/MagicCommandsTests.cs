using HarmoniousFeedback.Kernel.Polyglot;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Polyglot;

public sealed class MagicCommandsTests
{
    [Fact]
    public void Parse_keeps_a_cell_without_magic_commands_as_one_csharp_segment()
    {
        var code = "var x = 1;\nx";
        Assert.Equal([new CellSegment(SegmentKind.CSharp, code)], MagicCommands.Parse(code));
    }

    [Fact]
    public void Parse_splits_kernel_selectors_and_keeps_csharp_on_the_cells_line_numbers()
    {
        var segments = MagicCommands.Parse("#!time\n#!csharp\nvar x = 1;\n#!markdown\n# Title\ntext\n#!c#\nx");
        Assert.Equal([SegmentKind.Time, SegmentKind.CSharp, SegmentKind.Markdown, SegmentKind.CSharp], segments.Select(s => s.Kind));
        Assert.Equal("\n\nvar x = 1;", segments[1].Text); // line 3 of the cell is line 3 of the submission
        Assert.Equal("# Title\ntext", segments[2].Text);
        Assert.Equal(8, segments[3].Text.Split('\n').Length);
        Assert.EndsWith("\nx", segments[3].Text);
    }

    [Fact]
    public void Parse_reads_value_cells_as_polyglot_writes_them_and_set_and_share_lines_in_order()
    {
        var value = MagicCommands.Parse("#!value\n\n#!value --name notes --mime-type application/json\n{\"tempo\": 120}");
        Assert.Equal([new CellSegment(SegmentKind.Value, "{\"tempo\": 120}", "#!value --name notes --mime-type application/json")], value);
        var fromFile = MagicCommands.Parse("#!value --name data --from-file data.csv");
        Assert.Equal([new CellSegment(SegmentKind.Value, "", "#!value --name data --from-file data.csv")], fromFile);
        var shared = MagicCommands.Parse("#!share --from value notes --as json\n#!set --name who --value @input:\"Name?\"\njson.Length");
        Assert.Equal([SegmentKind.Share, SegmentKind.Set, SegmentKind.CSharp], shared.Select(s => s.Kind));
        Assert.Equal("#!set --name who --value @input:\"Name?\"", shared[1].Directive);
        Assert.EndsWith("\n\njson.Length", shared[2].Text); // line 3 of the cell is line 3 of the submission
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1", "line 1: the magic command '#!fsharp' needs .NET Interactive's F# support; hfb-kernel runs C# only: port the cell to C# or remove it (supported")]
    [InlineData("#!value\n{\"tempo\": 120}", "line 2: a #!value cell needs a '#!value --name <variable>' line above its value")]
    [InlineData("#!value --mime-type text/csv\na,b", "line 1: '#!value --mime-type text/csv': #!value needs --name <variable>")]
    [InlineData("#!sql\nSELECT 1", "line 1: the magic command '#!sql' needs .NET Interactive's SQL support; hfb-kernel runs C# only: query from C# with the database's ADO.NET package")]
    [InlineData("#!nonsense", "line 1: unknown magic command '#!nonsense' (supported: #!csharp, #!markdown, #!html, #!mermaid, #!value, #!set, #!share, #!time, #!about, #!whos, #!who, #!lsmagic)")]
    public void Parse_rejects_unsupported_and_unknown_magic_commands_naming_them(string cell, string message)
    {
        var e = Assert.Throws<MagicCommandException>(() => MagicCommands.Parse(cell));
        Assert.StartsWith(message, e.Message);
    }
}

public sealed class NuGetDirectivesTests
{
    [Fact]
    public void Extract_blanks_nuget_lines_and_returns_packages_and_sources_in_order()
    {
        var (code, packages, sources) = NuGetDirectives.Extract("#i \"nuget: ../packages\"\n#r \"nuget: CsvHelper, 34.0.0\"\n#r \"nuget:Humanizer.Core\"\n#r \"lib/x.dll\"\nusing CsvHelper;");
        Assert.Equal("\n\n\n#r \"lib/x.dll\"\nusing CsvHelper;", code);
        Assert.Equal([new PackageRequest("CsvHelper", "34.0.0"), new PackageRequest("Humanizer.Core", null)], packages);
        Assert.Equal(["../packages"], sources);
    }
}
