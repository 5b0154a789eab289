using HarmoniousFeedback.Kernel.Execution;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Execution;

/// <summary>The Roslyn layer in-process (no ZeroMQ): one warmed-up session shared by the class.</summary>
public sealed class ScriptSessionFixture
{
    public List<IReadOnlyDictionary<string, string>> Displayed { get; } = [];
    public List<HarmoniousFeedback.Kernel.Display.DisplayData> Outputs { get; } = [];
    public ScriptSession Session { get; }

    public ScriptSessionFixture()
    {
        Session = new ScriptSession(Path.GetTempPath(), d => { Displayed.Add(d.Bundle); Outputs.Add(d); }, _ => { });
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
    public void Execute_environment_exit_fails_the_cell_and_the_session_survives()
    {
        // Checked on the rewrite first: an Environment.Exit that reached the runtime would end the test process.
        Assert.Contains("CellExit.Exit(3);", InterruptRewriter.Rewrite(CSharpSyntaxTree.ParseText("Environment.Exit(3);", ScriptSession.ParseOptions).GetRoot()));

        var failed = Run("var beforeExit = 1;\nEnvironment.Exit(3);\nbeforeExit = 2;");
        Assert.Equal("CellExitException", failed.Error!.Name);
        Assert.StartsWith("Environment.Exit(3) was called: the cell stops here, but the kernel keeps running", failed.Error.Value);
        Assert.Contains(failed.Error.Traceback, l => l.EndsWith(", line 2", StringComparison.Ordinal));
        Assert.Equal("CellExitException", Run("void Quit() => System.Environment.Exit(0);\nQuit();").Error!.Name);
        Assert.Equal("1", Run("beforeExit").Result!["text/plain"]);
    }

    [Fact]
    public void Execute_compile_error_of_a_cell_in_another_polyglot_language_says_so()
    {
        var failed = Run("let tempo = 120\nprintfn \"%d\" tempo").Error!;
        Assert.Equal("CompilationError", failed.Name);
        Assert.StartsWith("(1,", failed.Value);
        Assert.Contains("(hint: this cell looks like F#, not C#", failed.Value);
        Assert.StartsWith("hint: this cell looks like F#", failed.Traceback[^1]);
        Assert.DoesNotContain("hint", Run("int a = \"s\";").Error!.Value);
    }

    [Fact]
    public void Execute_shows_an_html_markdown_or_mermaid_cell_that_arrives_without_its_selector()
    {
        fixture.Displayed.Clear();
        Assert.Null(Run("<p><b>Am</b> chord</p>").Error);
        Assert.Null(Run("## Results").Error);
        Assert.Null(Run("\ngraph LR\n  tonic --> dominant").Error);
        Assert.Equal("<p><b>Am</b> chord</p>", fixture.Displayed[0]["text/html"]);
        Assert.Equal("## Results", fixture.Displayed[1]["text/markdown"]);
        Assert.Equal("graph LR\n  tonic --> dominant", fixture.Displayed[2]["text/vnd.mermaid"]);
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
    public void Execute_runs_rewritten_expression_bodies_lambdas_and_expression_trees_with_unchanged_results()
    {
        Assert.Equal("12", Run("new[] { 1, 2, 3 }.Select(x => x * 2).Sum()").Result!["text/plain"]);
        Assert.Equal("3", Run("System.Linq.Expressions.Expression<Func<int, int>> inc = x => x + 1; inc.Compile()(2)").Result!["text/plain"]);
        Assert.Equal("2", Run("#r \"System.Linq.Queryable\"\nnew[] { 1, 2, 3 }.AsQueryable().Where(x => x > 1).Count()").Result!["text/plain"]);
        Assert.Equal("6", Run("record Vec(int X) { public int Twice => X * 2; public static Vec operator +(Vec a, Vec b) => new(a.X + b.X); }\n(new Vec(1) + new Vec(2)).Twice").Result!["text/plain"]);
        Assert.Equal("55", Run("long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2); Fib(10)").Result!["text/plain"]);
        Assert.Equal("ok", Run("var log = new List<int>(); Action<int> add = v => log.Add(v); add(1); Func<Task> later = async () => await Task.Yield(); await later(); log.Count == 1 ? \"ok\" : \"lost\"").Result!["text/plain"]);
    }

    [Fact]
    public void Execute_turns_runaway_recursion_into_an_exception_and_the_session_survives()
    {
        var failed = Run("int Deep(int n) => Deep(n + 1) + 1; Deep(0)");
        Assert.Equal(nameof(InsufficientExecutionStackException), failed.Error!.Name);
        Assert.Equal("2", Run("1 + 1").Result!["text/plain"]);
    }

    [Fact]
    public void Display_returns_a_handle_whose_update_replaces_the_output_under_the_same_display_id()
    {
        fixture.Outputs.Clear();
        Assert.Null(Run("var shown = display(\"first\"); shown.Update(\"second\"); 3.Display(\"text/html\");").Error);
        Assert.Equal(3, fixture.Outputs.Count);
        Assert.Equal(fixture.Outputs[0].DisplayId, fixture.Outputs[1].DisplayId);
        Assert.False(fixture.Outputs[0].IsUpdate);
        Assert.True(fixture.Outputs[1].IsUpdate);
        Assert.Equal("second", fixture.Outputs[1].Bundle["text/plain"]);
        Assert.Equal("<pre>3</pre>", fixture.Outputs[2].Bundle["text/html"]); // restricted to the asked-for MIME type
        Assert.Null(Run("display(1)").Result); // a trailing display(x) shows its value once, not its handle
    }

    [Fact]
    public void Registered_formatters_render_a_users_type_by_mime_type_and_apply_to_derived_types()
    {
        var outcome = Run("""
            class Interval { public int Semitones; public override string ToString() => $"{Semitones} st"; }
            class Fifth : Interval { public Fifth() { Semitones = 7; } }
            Formatter.Register<Interval>((i, w) => w.Write($"<i>{i.Semitones}</i>"), "text/html");
            Formatter.Register<Interval>(i => $"<svg xmlns='http://www.w3.org/2000/svg'><text>{i.Semitones}</text></svg>", "image/svg+xml");
            Formatter.Register<Interval>(i => new byte[] { 1, 2, 3 }, "image/png");
            new Fifth()
            """);
        var bundle = outcome.Result!;
        Assert.Equal("<i>7</i>", bundle["text/html"]);
        Assert.Equal("<svg xmlns='http://www.w3.org/2000/svg'><text>7</text></svg>", bundle["image/svg+xml"]);
        Assert.Equal("AQID", bundle["image/png"]); // base64 of 1, 2, 3
        Assert.Equal("7 st", bundle["text/plain"]);
    }

    [Fact]
    public void Execute_runs_markdown_and_time_magics_around_csharp_segments()
    {
        fixture.Displayed.Clear();
        var outcome = Run("#!time\n#!markdown\n# Scales\n#!csharp\nvar octave = 12;\noctave * 2");
        Assert.Equal("24", outcome.Result!["text/plain"]);
        Assert.Equal("# Scales", fixture.Displayed[0]["text/markdown"]);
        Assert.Matches(@"^Wall time: \d+(\.\d+)?ms$", fixture.Displayed[1]["text/plain"]);
        var error = Run("var bad = 1;\n#!csharp\nbad = undefined;").Error!;
        Assert.StartsWith("(3,7): error CS0103", error.Value); // the cell's own line number
    }

    [Fact]
    public void Execute_draws_a_mermaid_section_as_a_diagram_with_markdown_and_text_fallbacks()
    {
        fixture.Displayed.Clear();
        Assert.Null(Run("#!mermaid\ngraph TD\n  A[tonic] --> B[dominant]").Error);
        var diagram = Assert.Single(fixture.Displayed);
        Assert.Equal("graph TD\n  A[tonic] --> B[dominant]", diagram["text/vnd.mermaid"]);
        Assert.Equal("```mermaid\ngraph TD\n  A[tonic] --> B[dominant]\n```", diagram["text/markdown"]);
        Assert.Equal("graph TD\n  A[tonic] --> B[dominant]", diagram["text/plain"]);
    }

    [Fact]
    public void Execute_value_set_and_share_declare_CSharp_variables()
    {
        fixture.Displayed.Clear();
        Assert.Null(Run("#!value\n#!value --name chordJson --mime-type application/json\n{\"name\": \"Am\", \"notes\": [57, 60, 64]}").Error);
        Assert.Equal("{\"name\": \"Am\", \"notes\": [57, 60, 64]}", Assert.Single(fixture.Displayed)["application/json"]);
        Assert.Equal("3", Run("System.Text.Json.JsonDocument.Parse(chordJson).RootElement.GetProperty(\"notes\").GetArrayLength()").Result!["text/plain"]);

        Assert.Equal("Am!", Run("#!share --from value chordJson --as sameJson\n#!set --name label --value \"Am\"\n#!set --name copy --value @csharp:label\ncopy + \"!\"").Result!["text/plain"]);
        Assert.Equal("true", Run("sameJson == chordJson").Result!["text/plain"]);

        var fromFsharp = Run("#!share --from fsharp x").Error!;
        Assert.Equal("MagicCommandError", fromFsharp.Name);
        Assert.Equal("'#!share --from fsharp x': sharing values from the 'fsharp' kernel needs .NET Interactive; hfb-kernel has C# only, so port that cell to C#", fromFsharp.Value);
        Assert.Equal("'#!share --from csharp nowhere': no variable 'nowhere' has been declared in this notebook", Run("#!share --from csharp nowhere").Error!.Value);
        Assert.StartsWith("'#!set --name 2x --value 1': --name '2x' is not a C# identifier", Run("#!set --name 2x --value 1").Error!.Value);
        Assert.StartsWith("'#!set --name pw --value @password:\"Key\"': hfb-kernel has no password prompt", Run("#!set --name pw --value @password:\"Key\"").Error!.Value);
    }

    [Fact]
    public void Execute_value_from_file_reads_relative_to_the_working_directory()
    {
        var dir = TestDirs.Create();
        File.WriteAllText(Path.Combine(dir, "scale.csv"), "note,midi\nA4,69\n");
        var session = new ScriptSession(dir, _ => { }, _ => { });
        session.WarmUp();
        Assert.Null(session.Execute("#!value --name scaleCsv --from-file scale.csv", CancellationToken.None).Error);
        Assert.Equal("2", session.Execute("scaleCsv.Trim().Split('\\n').Length", CancellationToken.None).Result!["text/plain"]);
        Assert.Contains("cannot read", session.Execute("#!value --name missing --from-file nope.csv", CancellationToken.None).Error!.Value);
    }

    [Fact]
    public void Execute_knows_dotnet_interactives_HTML_javascript_and_CSS_helpers()
    {
        fixture.Displayed.Clear();
        Assert.Equal("<b>chord</b>", Run("HTML(\"<b>chord</b>\")").Result!["text/html"]);
        Assert.Null(Run("Javascript(\"console.log(1)\"); CSS(\"b { color: red }\");").Error);
        Assert.Equal("console.log(1)", fixture.Displayed[0]["application/javascript"]);
        Assert.Equal("<script type=\"text/javascript\">console.log(1)</script>", fixture.Displayed[0]["text/html"]);
        Assert.Equal("<style>b { color: red }</style>", fixture.Displayed[1]["text/html"]);
    }

    [Fact]
    public void Complete_lists_members_after_a_dot_and_names_in_scope()
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
    public void Complete_in_the_middle_of_a_multi_line_cell_sees_the_code_before_the_cursor()
    {
        // `Console.Wri` above `var c = 2;` parses as the type of a declaration (`Console.Wri var …`).
        const string cell = "var a = 1;\nConsole.Wri\nvar c = 2;";
        var cursor = cell.IndexOf("Wri", StringComparison.Ordinal) + 3;
        var (start, end, matches) = fixture.Session.Complete(cell, cursor);
        Assert.Equal((cursor - 3, cursor), (start, end));
        Assert.Contains("WriteLine", matches);
        Run("var tempoBpm = 120;");
        const string member = "tempoBpm.ToStr\nvar d = 3;";
        Assert.Contains("ToString", fixture.Session.Complete(member, member.IndexOf('\n')).Matches);
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

public sealed class InterruptGateTests
{
    [Fact]
    public void Abandoned_thread_stops_at_its_next_interrupt_point_and_other_threads_do_not()
    {
        using var running = new ManualResetEventSlim();
        Exception? seen = null;
        var thread = new Thread(() =>
        {
            try
            {
                while (true)
                {
                    InterruptGate.Check();
                    running.Set();
                    Thread.Sleep(1);
                }
            }
            catch (CellInterruptedException e) { seen = e; }
        })
        { IsBackground = true };
        thread.Start();
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)));
        InterruptGate.Abandon(thread.ManagedThreadId);
        try
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the abandoned thread kept running");
            Assert.IsType<CellInterruptedException>(seen);
            InterruptGate.Check(); // the test's own thread is not abandoned: no exception
        }
        finally
        {
            InterruptGate.Ended(thread.ManagedThreadId);
        }
    }
}

public sealed class InterruptRewriterTests
{
    private static string Rewrite(string code) => InterruptRewriter.Rewrite(CSharpSyntaxTree.ParseText(code, ScriptSession.ParseOptions).GetRoot());

    /// <summary>Rewrites <paramref name="code"/> with the semantic model of a script compilation of it (what the kernel does for cells with expression lambdas).</summary>
    private static string RewriteBound(string code)
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.Create(code, Microsoft.CodeAnalysis.Scripting.ScriptOptions.Default
            .AddReferences(typeof(System.Linq.Expressions.Expression).Assembly).AddImports("System", "System.Linq", "System.Linq.Expressions", "System.Threading.Tasks")).GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        return InterruptRewriter.Rewrite(tree.GetRoot(), compilation.GetSemanticModel(tree));
    }

    private const string Check = "global::HarmoniousFeedback.Kernel.Execution.InterruptGate.Check();";
    private const string Enter = "global::HarmoniousFeedback.Kernel.Execution.InterruptGate.Enter();";

    [Fact]
    public void Rewrite_instruments_every_loop_switch_section_label_and_block_body_without_adding_lines()
    {
        var code = "while (true) { }\nfor (;;) x++;\ndo { } while (c);\nforeach (var (a, b) in pairs) { }\nforeach (var i in xs) f(i);\n"
                   + "switch (k) { case 1: goto case 2; case 2: goto case 1; }\nspin: goto spin;\nint F() { return 1; }\nAction g = () => { };";
        var rewritten = Rewrite(code);
        Assert.Equal(code.Count(c => c == '\n'), rewritten.Count(c => c == '\n'));
        Assert.Equal(9, CountOf(rewritten, Check)); // 5 loops, 2 switch sections, 1 label, 1 block lambda
        Assert.Equal(1, CountOf(rewritten, Enter)); // the block-bodied method
        Assert.Contains("for (;;) {" + Check + " x++;}", rewritten);
        Assert.Contains("case 1: " + Check + " goto case 2;", rewritten);
        Assert.Contains("spin: {" + Check + " goto spin;}", rewritten);
    }

    [Fact]
    public void Rewrite_turns_expression_bodied_members_into_blocks_that_enter_the_gate()
    {
        var code = "long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);\nvoid Log(string s) => Console.WriteLine(s);\n"
                   + "async Task Later() => await Task.Yield();\nint Fail() => throw new Exception();\n"
                   + "class P { int _v; public int V => _v; public int W { get => _v; set => _v = value; } public int this[int i] => i; public static P operator +(P a, P b) => a; ~P() { } }";
        var rewritten = Rewrite(code);
        Assert.Equal(code.Count(c => c == '\n'), rewritten.Count(c => c == '\n'));
        Assert.Contains("long Fib(int n) {" + Enter + " return n < 2 ? n : Fib(n - 1) + Fib(n - 2); }", rewritten);
        Assert.Contains("void Log(string s) {" + Enter + " Console.WriteLine(s); }", rewritten);
        Assert.Contains("async Task Later() {" + Enter + " await Task.Yield(); }", rewritten);
        Assert.Contains("int Fail() {" + Enter + " throw new Exception(); }", rewritten);
        Assert.Contains("public int V { get {" + Enter + " return _v; } }", rewritten);
        Assert.Contains("set {" + Enter + " _v = value; }", rewritten);
        Assert.Contains("~P() { }", rewritten); // finalizers run on the finalizer thread: never instrumented
        Assert.Equal(9, CountOf(rewritten, Enter)); // Fib, Log, Later, Fail, V, W get and set, the indexer, the operator
    }

    [Fact]
    public void Rewrite_with_a_semantic_model_makes_expression_lambdas_blocks_by_their_delegate_type_and_leaves_expression_trees()
    {
        var code = "var doubled = new[] { 1, 2 }.Select(x => x * 2).ToList();\nAction<int> print = v => Console.WriteLine(v);\n"
                   + "Func<Task> wait = async () => await Task.Yield();\nExpression<Func<int, int>> tree = x => x + 1;\nvar q = new[] { 1 }.AsQueryable().Where(x => x > 0);";
        var rewritten = RewriteBound(code);
        Assert.Equal(code.Count(c => c == '\n'), rewritten.Count(c => c == '\n'));
        Assert.Contains("Select(x => {" + Check + " return x * 2; })", rewritten);
        Assert.Contains("print = v => {" + Check + " Console.WriteLine(v); }", rewritten);
        Assert.Contains("wait = async () => {" + Check + " await Task.Yield(); }", rewritten);
        Assert.Contains("tree = x => x + 1;", rewritten);
        Assert.Contains("Where(x => x > 0)", rewritten);
    }

    [Fact]
    public void Rewrite_turns_every_spelling_of_environment_exit_into_the_cell_exit_and_leaves_other_exits()
    {
        const string exit = "global::HarmoniousFeedback.Kernel.Execution.CellExit.Exit";
        Assert.Equal(exit + "(3);", Rewrite("Environment.Exit(3);"));
        Assert.Equal(exit + "(0);", Rewrite("System.Environment.Exit(0);"));
        Assert.Contains(exit + "(1)", Rewrite("void Quit() => global::System.Environment.Exit(1);"));
        Assert.Contains(exit + "(code)", Rewrite("Action<int> quit = code => { Environment.Exit(code); };"));
        Assert.Equal("app.Exit(1);", Rewrite("app.Exit(1);"));
        Assert.Equal("Environment.FailFast(\"x\");", Rewrite("Environment.FailFast(\"x\");"));
    }

    [Fact]
    public void Rewrite_without_a_semantic_model_leaves_expression_lambdas_alone()
    {
        Assert.Equal("xs.Select(x => x * 2)", Rewrite("xs.Select(x => x * 2)"));
        Assert.True(InterruptRewriter.HasExpressionLambdas(CSharpSyntaxTree.ParseText("xs.Select(x => x * 2)", ScriptSession.ParseOptions).GetRoot()));
        Assert.False(InterruptRewriter.HasExpressionLambdas(CSharpSyntaxTree.ParseText("xs.Select(x => { return x; })", ScriptSession.ParseOptions).GetRoot()));
    }

    private static int CountOf(string s, string part)
    {
        var n = 0;
        for (var i = s.IndexOf(part, StringComparison.Ordinal); i >= 0; i = s.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
