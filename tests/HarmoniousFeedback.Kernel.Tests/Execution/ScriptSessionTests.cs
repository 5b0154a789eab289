using HarmoniousFeedback.Kernel.Execution;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Execution;

/// <summary>The Roslyn layer in-process (no ZeroMQ): one warmed-up session shared by the class.</summary>
public sealed class ScriptSessionFixture
{
    public List<IReadOnlyDictionary<string, string>> Displayed { get; } = [];
    public ScriptSession Session { get; }

    public ScriptSessionFixture()
    {
        Session = new ScriptSession(Path.GetTempPath(), Displayed.Add, _ => { });
        Session.WarmUp();
    }
}

public sealed class ScriptSessionTests(ScriptSessionFixture fixture) : IClassFixture<ScriptSessionFixture>
{
    private CellOutcome Run(string code) => fixture.Session.Execute(code, CancellationToken.None);

    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("1 + 1", "complete")]
    [InlineData("class C { }", "complete")]
    [InlineData("for (var i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("int F(int v) {", "incomplete")]
    [InlineData("/* open comment", "incomplete")]
    [InlineData("var x = 1;)", "invalid")]
    [InlineData("int = 5;", "invalid")]
    public void IsComplete_uses_Roslyn_submission_rules(string code, string expected) => Assert.Equal(expected, ScriptSession.IsComplete(code));

    [Fact]
    public void Execute_returns_a_result_only_for_a_trailing_expression()
    {
        Assert.Equal("2", Run("1 + 1").Result!["text/plain"]);
        Assert.Null(Run("var y = 1;").Result);
        Assert.Null(Run("Console.Out.Flush()").Result);
        Assert.Equal("null", Run("string? nothing = null; nothing").Result!["text/plain"]);
    }

    [Fact]
    public void Execute_runtime_error_keeps_earlier_declarations()
    {
        var failed = Run("var kept = 41;\nint Crash() => throw new ArgumentException(\"bad arg\");\nCrash();");
        Assert.Equal("ArgumentException", failed.Error!.Name);
        Assert.Contains(failed.Error.Traceback, l => l.Contains("at Crash() (", StringComparison.Ordinal) && l.EndsWith(", line 2)", StringComparison.Ordinal));
        Assert.Equal("42", Run("kept + 1").Result!["text/plain"]);
    }

    [Fact]
    public void Execute_compile_errors_list_every_diagnostic_with_position()
    {
        var failed = Run("int a = \"s\";\nnope();");
        Assert.Equal("CompilationError", failed.Error!.Name);
        Assert.Equal(2, failed.Error.Traceback.Count);
        Assert.StartsWith("(1,9): error CS0029:", failed.Error.Traceback[0]);
        Assert.StartsWith("(2,1): error CS0103:", failed.Error.Traceback[1]);
    }

    [Fact]
    public void Execute_display_goes_to_the_sink()
    {
        fixture.Displayed.Clear();
        Assert.Null(Run("display(Markdown(\"# hi\"));").Error);
        Assert.Equal("# hi", Assert.Single(fixture.Displayed)["text/markdown"]);
    }

    [Fact]
    public async Task Execute_interrupt_gate_stops_loop_on_another_thread()
    {
        var outcome = Task.Run(() => Run("while (true) { }"));
        await Task.Delay(300);
        InterruptGate.Request();
        try
        {
            var result = await outcome.WaitAsync(TimeSpan.FromSeconds(10)); // TimeoutException: the loop did not stop
            Assert.Equal(nameof(CellInterruptedException), result.Error!.Name);
        }
        finally
        {
            InterruptGate.Reset();
        }
        Assert.Equal("3", Run("1 + 2").Result!["text/plain"]);
    }

    [Fact]
    public void Complete_member_access_and_scope()
    {
        Run("var melody = \"abc\";");
        var (start, end, matches) = fixture.Session.Complete("melody.ToUpp", 12);
        Assert.Equal((7, 12), (start, end));
        Assert.Contains("ToUpper", matches);
        Assert.Contains("ToUpperInvariant", matches);
        Assert.Contains("melody", fixture.Session.Complete("melo", 4).Matches);
        Assert.Contains("Sqrt", fixture.Session.Complete("Math.Sq", 7).Matches);
        Assert.Contains("while", fixture.Session.Complete("whi", 3).Matches);
    }

    [Fact]
    public void Inspect_describes_symbol()
    {
        Assert.Contains("Console", fixture.Session.Inspect("Console", 7));
        Assert.Null(fixture.Session.Inspect("   ", 1));
    }

    [Fact]
    public void ReadableFrame_shortens_submission_frames()
    {
        Assert.Equal("   at cell3, line 4", ScriptSession.ReadableFrame("   at Submission#5.<<Initialize>>d__0.MoveNext() in /home/u/nb/cell3:line 4"));
        Assert.Equal("   at Crash() (cell2, line 1)", ScriptSession.ReadableFrame("   at Submission#4.Crash() in /x/cell2:line 1"));
        Assert.Equal("   at System.Linq.Enumerable.First()", ScriptSession.ReadableFrame("   at System.Linq.Enumerable.First()"));
    }
}

public sealed class InterruptRewriterTests
{
    private static string Rewrite(string code) => InterruptRewriter.Rewrite(CSharpSyntaxTree.ParseText(code, ScriptSession.ParseOptions).GetRoot());

    private const string Check = "global::HarmoniousFeedback.Kernel.Execution.InterruptGate.Check();";

    [Fact]
    public void Instruments_every_loop_and_body_without_adding_lines()
    {
        var code = "while (true) { }\nfor (;;) x++;\ndo { } while (c);\nforeach (var (a, b) in pairs) { }\nforeach (var i in xs) f(i);\nint F() { return 1; }\nAction g = () => { };\nint H() => 2;";
        var rewritten = Rewrite(code);
        Assert.Equal(code.Count(c => c == '\n'), rewritten.Count(c => c == '\n'));
        Assert.Equal(7, CountOf(rewritten, Check)); // 5 loops, 1 block-bodied method, 1 lambda; expression-bodied H is left alone
        Assert.Contains("for (;;) {" + Check + " x++;}", rewritten);
        Assert.Contains("int H() => 2;", rewritten);
    }

    private static int CountOf(string s, string part)
    {
        var n = 0;
        for (var i = s.IndexOf(part, StringComparison.Ordinal); i >= 0; i = s.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
