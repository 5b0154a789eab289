using System.Collections.Immutable;
using System.Reflection;
using HarmoniousFeedback.Kernel.Display;
using HarmoniousFeedback.Kernel.Polyglot;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// The C# state of one notebook: a chain of Roslyn script submissions (<c>CSharpScript.Create</c>, then
/// <c>ContinueWith</c> per cell) over <see cref="ScriptGlobals"/>, so variables, methods, types and <c>using</c>s of
/// earlier cells stay visible. <c>#r "x.dll"</c> and <c>#load "x.csx"</c> resolve relative to the working directory.
/// Not thread-safe: <see cref="Execute"/> runs on the kernel's execution thread; completion and inspection read the
/// committed state from the shell thread, which by protocol never overlaps an execution.
/// </summary>
public sealed class ScriptSession
{
    /// <summary>Namespaces imported into every cell.</summary>
    public static readonly ImmutableArray<string> DefaultImports =
    [
        "System", "System.Collections.Generic", "System.Globalization", "System.IO", "System.Linq", "System.Numerics",
        "System.Text", "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks",
        "HarmoniousFeedback.Kernel.Display",
        // .NET Interactive's namespaces (DisplayedValue, Display()/DisplayAs(), Formatter), so Polyglot notebooks compile unchanged.
        "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.Formatting",
    ];

    /// <summary>Parse options of every cell: latest C#, script kind (trailing expression allowed).</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private readonly ScriptGlobals _globals;
    private readonly Action<DisplayData> _display;
    private readonly NuGetResolver _nuget;
    private readonly string _workingDirectory;
    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private int _cellNumber;
    private int _generation;

    /// <param name="workingDirectory">Base directory for <c>#r</c> and <c>#load</c> paths.</param>
    /// <param name="display">Receives <c>display(x)</c>, <c>x.Display()</c>, their updates and the output of magic commands.</param>
    /// <param name="clearOutput">Receives <c>clear_output(wait)</c> calls.</param>
    public ScriptSession(string workingDirectory, Action<DisplayData> display, Action<bool> clearOutput)
    {
        _display = display;
        Microsoft.DotNet.Interactive.DisplayExtensions.Sink = display;
        _nuget = new NuGetResolver(workingDirectory);
        _workingDirectory = workingDirectory;
        _globals = new ScriptGlobals(display, clearOutput);
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .AddReferences(ExtraFrameworkReferences)
            .AddReferences(typeof(ScriptSession).Assembly)
            .WithImports(DefaultImports)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(workingDirectory))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(workingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithAllowUnsafe(true);
    }

    /// <summary>
    /// Framework assemblies referenced by name on top of <c>ScriptOptions.Default</c>'s set (System.Runtime,
    /// Collections, Console, IO, Regex, Tasks …): LINQ, <c>Complex</c>/<c>BigInteger</c> and System.Text.Json. Any other
    /// framework assembly is one <c>#r "System.Xyz"</c> away. Kept short on purpose: every reference is re-bound by
    /// each cell's compilation, and 15 more references double the CPU cost of a trivial cell (docs/kernel.md).
    /// </summary>
    public static readonly ImmutableArray<string> ExtraFrameworkReferences = ["System.Linq", "System.Runtime.Numerics", "System.Text.Json"];

    /// <summary>True once <see cref="WarmUp"/> has created the initial state.</summary>
    public bool IsReady => Volatile.Read(ref _state) is not null;

    /// <summary>Compiles and runs a trivial submission so that Roslyn's and the JIT's first-use costs are paid before the first cell.</summary>
    public void WarmUp()
    {
        if (_state is not null) return;
        var state = CSharpScript.RunAsync("", _options, _globals, typeof(ScriptGlobals)).GetAwaiter().GetResult();
        // Exercise the continuation, the rewriter and the formatter once; the result is discarded.
        var probe = state.Script.ContinueWith(InterruptRewriter.Rewrite(CSharpSyntaxTree.ParseText("var __hfb_warm = new List<int> { 1 }.Select(x => x + 1).Sum(); for (var i = 0; i < 1; i++) { } __hfb_warm", ParseOptions).GetRoot()), _options);
        DisplayFormatter.Format(probe.RunFromAsync(state).GetAwaiter().GetResult().ReturnValue);
        Volatile.Write(ref _state, state);
    }

    private ScriptState<object> State => Volatile.Read(ref _state) ?? throw new InvalidOperationException("the script session is not warmed up yet");

    /// <summary>
    /// Compiles and runs one cell. Compile errors, runtime exceptions and interrupts come back as
    /// <see cref="CellOutcome.Error"/>; the state advances even when the cell throws at run time (variables it
    /// declared stay declared), but not when it fails to compile or is interrupted while awaiting.
    /// </summary>
    /// <param name="code">The cell's source.</param>
    /// <param name="cancellationToken">Cancelled by an interrupt.</param>
    /// <param name="cellName">Shown in stack traces and diagnostics file names (the kernel passes <c>cell&lt;execution_count&gt;</c>); default: a running number.</param>
    public CellOutcome Execute(string code, CancellationToken cancellationToken, string? cellName = null)
    {
        IReadOnlyList<CellSegment> segments;
        try { segments = MagicCommands.Parse(code); }
        catch (MagicCommandException e) { return CellOutcome.Failed(new CellError("MagicCommandError", e.Message, [e.Message])); }
        if (segments is [{ Kind: SegmentKind.CSharp }]) return ExecuteCSharp(segments[0].Text, cancellationToken, cellName);

        var outcome = CellOutcome.Ok();
        System.Diagnostics.Stopwatch? timer = null;
        foreach (var segment in segments)
        {
            try { outcome = ExecuteSegment(segment, outcome, ref timer, cancellationToken, cellName); }
            catch (MagicCommandException e) { outcome = CellOutcome.Failed(new CellError("MagicCommandError", e.Message, [e.Message])); }
            if (outcome.Error is not null) break;
        }
        if (timer is not null)
        {
            Console.Out.Flush();
            _display(new DisplayData(new Dictionary<string, string> { [MimeTypes.PlainText] = $"Wall time: {timer.Elapsed.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}ms" }));
        }
        return outcome;
    }

    /// <summary>One part of a cell with magic commands; returns the cell's outcome so far (a C# segment's replaces it).</summary>
    private CellOutcome ExecuteSegment(CellSegment segment, CellOutcome outcome, ref System.Diagnostics.Stopwatch? timer, CancellationToken cancellationToken, string? cellName)
    {
        switch (segment.Kind)
        {
            case SegmentKind.CSharp:
                outcome = ExecuteCSharp(segment.Text, cancellationToken, cellName);
                break;
            case SegmentKind.Markdown:
                _display(new DisplayData(new MarkdownContent(segment.Text).ToMimeBundle()));
                break;
            case SegmentKind.Html:
                _display(new DisplayData(new HtmlContent(segment.Text).ToMimeBundle()));
                break;
            case SegmentKind.Mermaid:
                _display(new DisplayData(new Dictionary<string, string>
                {
                    [MimeTypes.Mermaid] = segment.Text,
                    [MimeTypes.Markdown] = "```mermaid\n" + segment.Text + "\n```",
                    [MimeTypes.PlainText] = segment.Text,
                }));
                break;
            case SegmentKind.Time:
                timer = System.Diagnostics.Stopwatch.StartNew();
                break;
            case SegmentKind.About:
                _display(new DisplayData(About()));
                break;
            case SegmentKind.Whos or SegmentKind.Who:
                _display(new DisplayData(Variables(segment.Kind == SegmentKind.Whos)));
                break;
            case SegmentKind.LsMagic:
                _display(new DisplayData(DisplayFormatter.Format(MagicCommands.Supported.ToDictionary(m => m.Command, m => m.Description))));
                break;
            case SegmentKind.Value:
            {
                var (name, value, mimeType) = ValueSharing.Value(segment.Directive, segment.Text, _workingDirectory);
                var declared = ExecuteCSharp($"var {name} = {ValueSharing.Literal(value)};", cancellationToken, cellName);
                if (declared.Error is not null) return declared;
                var bundle = new Dictionary<string, string> { [MimeTypes.PlainText] = value };
                if (mimeType is not null) bundle[mimeType] = value;
                _display(new DisplayData(bundle));
                break;
            }
            case SegmentKind.Set:
            {
                var declared = ExecuteCSharp(ValueSharing.Set(segment.Directive), cancellationToken, cellName);
                if (declared.Error is not null) return declared;
                break;
            }
            case SegmentKind.Share:
            {
                var code = ValueSharing.Share(segment.Directive, name => State.Variables.Any(v => v.Name == name));
                if (code.Length == 0) break;
                var declared = ExecuteCSharp(code, cancellationToken, cellName);
                if (declared.Error is not null) return declared;
                break;
            }
        }
        return outcome;
    }

    /// <summary><c>#!about</c>: the kernel, its versions and where it comes from.</summary>
    private static Dictionary<string, string> About()
    {
        var roslyn = typeof(CSharpScript).Assembly.GetName().Version;
        var text = $"hfb-kernel {Protocol.KernelInfo.ImplementationVersion}: C# {Protocol.KernelInfo.LanguageVersion} on .NET {Environment.Version}, Roslyn scripting {roslyn}. "
                   + "The HarmoniousFeedback project's Jupyter kernel for C#; it runs notebooks written for .NET Interactive / Polyglot Notebooks (#!csharp, #!markdown, #r \"nuget: …\", display(), Formatter.Register).";
        return new Dictionary<string, string>
        {
            [MimeTypes.PlainText] = text,
            [MimeTypes.Html] = "<p><b>hfb-kernel</b> " + System.Net.WebUtility.HtmlEncode(text["hfb-kernel ".Length..]) + "</p>",
        };
    }

    /// <summary><c>#!whos</c> (name, type, value of each variable) or <c>#!who</c> (names): the latest declaration of each name.</summary>
    private Dictionary<string, string> Variables(bool detailed)
    {
        var variables = State.Variables.Where(v => !v.Name.StartsWith("__hfb", StringComparison.Ordinal))
            .GroupBy(v => v.Name).Select(g => g.Last()).ToList();
        if (!detailed) return new Dictionary<string, string> { [MimeTypes.PlainText] = string.Join("\t", variables.Select(v => v.Name)) };
        var html = new System.Text.StringBuilder("<table><thead><tr><th>Variable</th><th>Type</th><th>Value</th></tr></thead><tbody>");
        var plain = new System.Text.StringBuilder();
        foreach (var v in variables)
        {
            var type = DisplayFormatter.TypeName(v.Type);
            var value = DisplayFormatter.Format(v.Value)[MimeTypes.PlainText];
            if (value.Length > 100) value = value[..100] + "…";
            html.Append("<tr><td>").Append(System.Net.WebUtility.HtmlEncode(v.Name)).Append("</td><td>").Append(System.Net.WebUtility.HtmlEncode(type))
                .Append("</td><td>").Append(System.Net.WebUtility.HtmlEncode(value)).Append("</td></tr>");
            plain.Append(v.Name).Append('\t').Append(type).Append('\t').Append(value).Append('\n');
        }
        html.Append("</tbody></table>");
        return new Dictionary<string, string> { [MimeTypes.PlainText] = plain.ToString(), [MimeTypes.Html] = html.ToString() };
    }

    /// <summary>One C# submission (a whole cell, or a <c>#!csharp</c> segment aligned to the cell's lines).</summary>
    private CellOutcome ExecuteCSharp(string code, CancellationToken cancellationToken, string? cellName)
    {
        var (withoutNuGet, packages, sources) = NuGetDirectives.Extract(code);
        if (packages.Count > 0 || sources.Count > 0)
        {
            code = withoutNuGet;
            foreach (var source in sources) _nuget.AddSource(source);
            if (packages.Count > 0)
            {
                try
                {
                    var (assemblies, _) = _nuget.Add(packages, Console.Out, cancellationToken);
                    _options = _options.AddReferences(assemblies.Select(a => MetadataReference.CreateFromFile(a)));
                }
                catch (NuGetRestoreException e) { return CellOutcome.Failed(new CellError("NuGetRestoreError", e.Message, [e.Message])); }
                catch (OperationCanceledException) { return CellOutcome.Failed(Interrupted()); }
            }
        }
        var state = State;
        var generation = Volatile.Read(ref _generation);
        var cell = Interlocked.Increment(ref _cellNumber);
        var options = _options.WithFilePath(cellName ?? $"cell{cell}");
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions, path: options.FilePath);
        var script = state.Script.ContinueWith(Instrument(state, code, tree, options, cancellationToken), options);
        ScriptState<object> next;

        // A Polyglot html/markdown/mermaid cell arrives without its selector (Jupyter sends no cell metadata): show it.
        CellOutcome CompileFailed(IReadOnlyList<Diagnostic> errors) => ForeignLanguageHint.RenderSelector(code) is { } selector
            ? Execute(selector + "\n" + code.TrimStart('\r', '\n'), cancellationToken, cellName)
            : CellOutcome.Failed(CompilationError(errors, code));

        try
        {
            // RunFromAsync compiles and emits in one pass (a separate Compile() would bind every method body twice).
            next = Run(script, state, cancellationToken);
        }
        catch (CompilationErrorException)
        {
            // Report errors against the cell as written; run it uninstrumented should the rewrite itself be the problem.
            var original = state.Script.ContinueWith(code, options);
            var errors = original.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0) return CompileFailed(errors);
            script = original;
            try { next = Run(script, state, cancellationToken); }
            catch (CompilationErrorException e) { return CompileFailed(e.Diagnostics); }
        }
        catch (OperationCanceledException)
        {
            return CellOutcome.Failed(Interrupted());
        }
        catch (ThreadInterruptedException)
        {
            return CellOutcome.Failed(Interrupted());
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            return CellOutcome.Failed(RuntimeError(e.InnerException));
        }

        if (Volatile.Read(ref _generation) != generation || Interlocked.CompareExchange(ref _state, next, state) != state)
            return CellOutcome.Failed(Interrupted()); // this cell was abandoned after an interrupt; its state is discarded
        if (next.Exception is { } ex)
            return CellOutcome.Failed(IsInterruption(ex, cancellationToken) ? Interrupted() : RuntimeError(ex));
        if (!EndsWithExpression(tree, out var expression)) return CellOutcome.Ok();
        if (next.ReturnValue is null && IsVoid(script, expression)) return CellOutcome.Ok();
        if (next.ReturnValue is Microsoft.DotNet.Interactive.DisplayedValue) return CellOutcome.Ok(); // a trailing display(x): shown already
        try
        {
            return CellOutcome.Ok(DisplayFormatter.Format(next.ReturnValue));
        }
        catch (DisplayException e)
        {
            return CellOutcome.Failed(new CellError(nameof(DisplayException), e.Message, [e.Message]));
        }
    }

    /// <summary>
    /// The cell with interrupt points (<see cref="InterruptRewriter"/>). Cells with expression-bodied lambdas are bound
    /// once more first: only the semantic model says whether <c>x =&gt; f(x)</c> returns a value or is an expression tree.
    /// </summary>
    private static string Instrument(ScriptState<object> state, string code, SyntaxTree tree, ScriptOptions options, CancellationToken cancellationToken)
    {
        var root = tree.GetRoot(cancellationToken);
        if (!InterruptRewriter.HasExpressionLambdas(root)) return InterruptRewriter.Rewrite(root);
        var compilation = state.Script.ContinueWith(code, options).GetCompilation();
        var bound = compilation.SyntaxTrees.Last();
        return InterruptRewriter.Rewrite(bound.GetRoot(cancellationToken), compilation.GetSemanticModel(bound));
    }

    /// <summary>
    /// An interrupt, also when it surfaces through <c>Parallel</c>/<c>Task</c> as an <see cref="AggregateException"/> of
    /// interrupts; a cancellation counts only when the cell's own token was cancelled.
    /// </summary>
    internal static bool IsInterruption(Exception e, CancellationToken cellToken) => e switch
    {
        CellInterruptedException or ThreadInterruptedException => true,
        OperationCanceledException => cellToken.IsCancellationRequested,
        AggregateException a => a.Flatten().InnerExceptions.All(x => IsInterruption(x, cellToken)),
        _ => false,
    };

    private static ScriptState<object> Run(Script<object> script, ScriptState<object> state, CancellationToken cancellationToken)
    {
        var run = script.RunFromAsync(state, _ => true, cancellationToken);
        try
        {
            run.Wait(cancellationToken);
        }
        catch (AggregateException e) when (e.InnerException is CompilationErrorException compile)
        {
            throw compile;
        }
        return run.Result;
    }

    /// <summary>Discards whatever the currently running (abandoned) cell would commit.</summary>
    internal void Abandon() => Interlocked.Increment(ref _generation);

    /// <summary>True when the cell's last statement is an expression without a semicolon (its value is the cell's result).</summary>
    private static bool EndsWithExpression(SyntaxTree tree, out ExpressionSyntax expression)
    {
        expression = null!;
        if (tree.GetRoot() is not CompilationUnitSyntax unit) return false;
        if (unit.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }) return false;
        if (!statement.SemicolonToken.IsMissing) return false;
        expression = statement.Expression;
        return true;
    }

    private static bool IsVoid(Script script, ExpressionSyntax expression)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree is null) return false;
        var unit = (CompilationUnitSyntax)tree.GetRoot();
        if (unit.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }) return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is null || type.SpecialType == SpecialType.System_Void;
    }

    internal static CellError Interrupted() =>
        new(nameof(CellInterruptedException), "the cell was interrupted", ["CellInterruptedException: the cell was interrupted (kernel state is kept)"]);

    /// <summary>
    /// Every error as a traceback line, the first as the value; when the cell plainly is another Polyglot language
    /// (<see cref="ForeignLanguageHint"/>), the hint is added to both.
    /// </summary>
    private static CellError CompilationError(IReadOnlyList<Diagnostic> errors, string code)
    {
        var lines = errors.Select(FormatDiagnostic).ToList();
        if (ForeignLanguageHint.For(code) is not { } hint) return new CellError("CompilationError", lines[0], lines);
        return new CellError("CompilationError", $"{lines[0]} ({hint})", [.. lines, hint]);
    }

    /// <summary><c>(line,col): error CSxxxx: message</c>, 1-based like the C# compiler prints.</summary>
    public static string FormatDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        return $"{where}{d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The exception (and inner exceptions) with the stack frames of the cell, without the kernel's and Roslyn's own frames.</summary>
    internal static CellError RuntimeError(Exception e)
    {
        if (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        var trace = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            trace.Add((x == e ? "" : "---> ") + $"{x.GetType().FullName}: {x.Message}");
            foreach (var line in (x.StackTrace ?? "").Split('\n'))
            {
                var l = line.TrimEnd('\r');
                if (l.Length == 0 || IsPlumbing(l)) continue;
                trace.Add(ReadableFrame(l));
            }
        }
        return new CellError(e.GetType().Name, e.Message, trace);
    }

    private static readonly System.Text.RegularExpressions.Regex ScriptFrame = new(
        @"^(?<indent>\s*)at Submission#\d+\.(?:<<Initialize>>d__\d+\.MoveNext\(\)|(?<member>.+?)) in (?:.*[/\\])?(?<file>[^/\\]+):line (?<line>\d+)$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary><c>at Submission#3.&lt;&lt;Initialize&gt;&gt;d__0.MoveNext() in /dir/cell2:line 4</c> becomes <c>at cell2, line 4</c>; methods keep their name.</summary>
    internal static string ReadableFrame(string frame)
    {
        var m = ScriptFrame.Match(frame);
        if (!m.Success) return frame;
        var where = $"{m.Groups["file"].Value}, line {m.Groups["line"].Value}";
        return m.Groups["member"].Success ? $"{m.Groups["indent"].Value}at {m.Groups["member"].Value} ({where})" : $"{m.Groups["indent"].Value}at {where}";
    }

    private static bool IsPlumbing(string frame) =>
        frame.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
        || frame.Contains("HarmoniousFeedback.Kernel.Execution", StringComparison.Ordinal)
        || frame.Contains("System.Runtime.CompilerServices", StringComparison.Ordinal)
        || frame.Contains("System.Runtime.ExceptionServices", StringComparison.Ordinal)
        || frame.Contains("System.Threading.ExecutionContext", StringComparison.Ordinal)
        || frame.Contains("--- End of stack trace", StringComparison.Ordinal);

    /// <summary>
    /// <c>complete</c>, <c>incomplete</c> or <c>invalid</c> for Jupyter's <c>is_complete_request</c>, from
    /// <c>SyntaxFactory.IsCompleteSubmission</c> and the parse diagnostics.
    /// </summary>
    public static string IsComplete(string code)
    {
        var tree = SyntaxFactory.ParseSyntaxTree(code, ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return "incomplete";
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? "invalid" : "complete";
    }

    /// <summary>
    /// Completion at <paramref name="cursor"/> (UTF-16 index): after <c>expr.</c> the members of the expression's type
    /// (including extension methods) or of a type/namespace; otherwise the symbols in scope (locals, earlier cells'
    /// variables and methods, globals, imported types) and C# keywords. Returns the replaced span and sorted names.
    /// </summary>
    public (int Start, int End, IReadOnlyList<string> Matches) Complete(string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var end = cursor;
        while (end < code.Length && (char.IsLetterOrDigit(code[end]) || code[end] == '_')) end++;
        var prefix = code[start..cursor];
        var matches = CompleteAt(code, start, prefix);
        // Text after the cursor can change how the cell parses: with `Console.Wri` on a line of its own above
        // `var c = 2;`, `Console.Wri var` reads as a declaration whose type is `Console.Wri`. Then the code up to the
        // cursor decides.
        if (matches.Count == 0 && cursor < code.Length) matches = CompleteAt(code[..cursor], start, prefix);
        return (start, end, matches);
    }

    private List<string> CompleteAt(string code, int start, string prefix)
    {
        var script = State.Script.ContinueWith(code, _options);
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();

        IEnumerable<ISymbol> symbols;
        var memberAccess = false;
        var dot = start - 1;
        while (dot >= 0 && code[dot] == ' ') dot--;
        if (dot >= 0 && code[dot] == '.' && root.FindToken(dot).Parent is MemberAccessExpressionSyntax access)
        {
            memberAccess = true;
            var left = access.Expression;
            var leftSymbol = model.GetSymbolInfo(left).Symbol;
            if (leftSymbol is INamespaceOrTypeSymbol container)
                symbols = container is INamespaceSymbol ? model.LookupNamespacesAndTypes(start, container) : model.LookupStaticMembers(start, container);
            else if (model.GetTypeInfo(left).Type is { } type)
                symbols = model.LookupSymbols(start, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
            else
                symbols = [];
        }
        else
        {
            symbols = model.LookupSymbols(start);
        }

        var names = symbols
            .Where(s => s.CanBeReferencedByName && !s.Name.StartsWith("__hfb", StringComparison.Ordinal))
            .Select(s => s.Name);
        if (!memberAccess) names = names.Concat(Keywords);
        var matches = names
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => n.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
        return matches;
    }

    private static readonly string[] Keywords = SyntaxFacts.GetKeywordKinds().Concat(SyntaxFacts.GetContextualKeywordKinds())
        .Select(SyntaxFacts.GetText).Where(t => t.Length > 0 && char.IsLetter(t[0])).Distinct().ToArray();

    /// <summary>The symbol at <paramref name="cursor"/> as a C# signature (for <c>inspect_request</c>), or null.</summary>
    public string? Inspect(string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var script = State.Script.ContinueWith(code, _options);
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var position = cursor > 0 && (cursor == code.Length || !char.IsLetterOrDigit(code[cursor])) ? cursor - 1 : cursor;
        var token = tree.GetRoot().FindToken(position);
        var node = token.Parent;
        while (node is not null)
        {
            var info = model.GetSymbolInfo(node);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node);
            if (symbol is not null)
            {
                var text = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
                var type = symbol switch { ILocalSymbol l => l.Type, IFieldSymbol f => f.Type, IPropertySymbol p => p.Type, _ => null };
                return type is null ? $"{symbol.Kind}: {text}" : $"{symbol.Kind}: {text} : {type.ToDisplayString()}";
            }
            if (node is StatementSyntax) break;
            node = node.Parent;
        }
        return null;
    }
}
