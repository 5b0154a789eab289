using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// Makes a cell interruptible without killing the process by inserting interrupt points (<see cref="InterruptGate"/>)
/// wherever the cell's own code can spin:
/// <list type="bullet">
/// <item><c>InterruptGate.Check();</c> first in every loop body (<c>while</c>, <c>do</c>, <c>for</c>, <c>foreach</c>),
/// <c>switch</c> section (<c>goto case</c> loops) and labelled statement (<c>goto</c> loops), and first in every lambda
/// and anonymous method — expression-bodied lambdas become block lambdas (<c>x =&gt; x * 2</c> →
/// <c>x =&gt; { Check(); return x * 2; }</c>) when a semantic model says whether the delegate returns a value, and
/// are left alone in expression trees (<c>IQueryable</c>), which cannot hold blocks;</item>
/// <item><c>InterruptGate.Enter();</c> (the check plus a stack guard against runaway recursion) first in every
/// method, local function, constructor, accessor and operator, expression-bodied ones included
/// (<c>int Fib(int n) =&gt; …</c> → <c>int Fib(int n) { Enter(); return …; }</c>).</item>
/// </list>
/// <c>Environment.Exit(code)</c> in the cell becomes <c>CellExit.Exit(code)</c>, which fails the cell instead of ending
/// the kernel process. Finalizers are never instrumented (an exception there would end the process). No line breaks are added, so line
/// numbers in runtime stack traces still match the cell; compile errors are always reported from the unmodified cell,
/// and a cell the rewrite would break runs unmodified. Code without these points — library calls, LINQ query syntax
/// (its lambdas are implicit), expression trees — is interrupted by the executor's last resort instead.
/// </summary>
internal sealed class InterruptRewriter : CSharpSyntaxRewriter
{
    private const string CheckCall = "global::HarmoniousFeedback.Kernel.Execution.InterruptGate.Check();";
    private const string EnterCall = "global::HarmoniousFeedback.Kernel.Execution.InterruptGate.Enter();";
    private const string ExitCall = "global::HarmoniousFeedback.Kernel.Execution.CellExit.Exit";

    private readonly SemanticModel? _model;

    private InterruptRewriter(SemanticModel? model) => _model = model;

    /// <summary>Rewrites a parsed cell; returns its new full text.</summary>
    /// <param name="root">The cell's syntax root (the tree <paramref name="model"/> was made from, when given).</param>
    /// <param name="model">The cell's semantic model; without it expression-bodied lambdas stay as they are.</param>
    public static string Rewrite(SyntaxNode root, SemanticModel? model = null) => new InterruptRewriter(model).Visit(root).ToFullString();

    /// <summary>True when the cell has expression-bodied lambdas, which only a semantic model lets the rewrite instrument.</summary>
    public static bool HasExpressionLambdas(SyntaxNode root) =>
        root.DescendantNodes().Any(n => n is LambdaExpressionSyntax { ExpressionBody: not null });

    private static StatementSyntax Call(string call) => SyntaxFactory.ParseStatement(call).WithTrailingTrivia(SyntaxFactory.Space);

    private static BlockSyntax Instrument(BlockSyntax block, string call) => block.WithStatements(block.Statements.Insert(0, Call(call)));

    private static StatementSyntax Instrument(StatementSyntax body) => body switch
    {
        BlockSyntax b => Instrument(b, CheckCall),
        _ => SyntaxFactory.Block(Call(CheckCall), body.WithoutLeadingTrivia().WithoutTrailingTrivia())
                .WithLeadingTrivia(body.GetLeadingTrivia()).WithTrailingTrivia(body.GetTrailingTrivia()),
    };

    /// <summary>
    /// <c>=&gt; expr;</c> as <c>{ Enter(); return expr; }</c> (or <c>{ Enter(); expr; }</c> when nothing is returned,
    /// <c>{ Enter(); throw …; }</c> for a throw expression), on the arrow's line, keeping the arrow's leading and the
    /// semicolon's trailing trivia.
    /// </summary>
    private static BlockSyntax ToBlock(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, string call, bool returnsValue)
    {
        var expression = arrow.Expression.WithoutLeadingTrivia().WithoutTrailingTrivia();
        StatementSyntax statement = expression switch
        {
            ThrowExpressionSyntax t => SyntaxFactory.ThrowStatement(t.Expression.WithLeadingTrivia(SyntaxFactory.Space)),
            _ when returnsValue => SyntaxFactory.ReturnStatement(expression.WithLeadingTrivia(SyntaxFactory.Space)),
            _ => SyntaxFactory.ExpressionStatement(expression),
        };
        return SyntaxFactory.Block(Call(call), statement.WithTrailingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(arrow.GetLeadingTrivia())
            .WithTrailingTrivia(semicolon.TrailingTrivia);
    }

    /// <summary>Whether a method with this syntax returns a value (not <c>void</c>, not an <c>async</c> method returning plain <c>Task</c>/<c>ValueTask</c>).</summary>
    private bool ReturnsValue(SyntaxNode declaration, TypeSyntax returnType, SyntaxTokenList modifiers)
    {
        if (_model?.GetDeclaredSymbol(declaration) is IMethodSymbol method) return ReturnsValue(method);
        if (returnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }) return false;
        var isAsync = modifiers.Any(SyntaxKind.AsyncKeyword);
        var name = returnType switch { QualifiedNameSyntax q => q.Right, _ => returnType };
        return !(isAsync && name is IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" });
    }

    private static bool ReturnsValue(IMethodSymbol method)
    {
        if (method.ReturnsVoid) return false;
        if (!method.IsAsync) return true;
        return method.ReturnType is not INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" };
    }

    // --- Environment.Exit ---

    /// <summary>
    /// <c>Environment.Exit(code)</c> (also <c>System.</c>/<c>global::System.</c>-qualified) calls <see cref="CellExit.Exit"/>
    /// instead, which fails the cell: ending the process would lose the notebook's state and leave the front end with a
    /// dead kernel.
    /// </summary>
    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        var n = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
        if (n.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Exit" } access) return n;
        var receiver = access.Expression.ToString().Replace(" ", "", StringComparison.Ordinal);
        if (receiver is not ("Environment" or "System.Environment" or "global::System.Environment")) return n;
        return n.WithExpression(SyntaxFactory.ParseExpression(ExitCall).WithTriviaFrom(n.Expression));
    }

    // --- loops, switch sections, labels ---

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var n = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return n.WithStatement(Instrument(n.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var n = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return n.WithStatement(Instrument(n.Statement));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var n = (ForStatementSyntax)base.VisitForStatement(node)!;
        return n.WithStatement(Instrument(n.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var n = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return n.WithStatement(Instrument(n.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var n = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return n.WithStatement(Instrument(n.Statement));
    }

    public override SyntaxNode? VisitSwitchSection(SwitchSectionSyntax node)
    {
        var n = (SwitchSectionSyntax)base.VisitSwitchSection(node)!;
        return n.Statements.Count == 0 ? n : n.WithStatements(n.Statements.Insert(0, Call(CheckCall)));
    }

    public override SyntaxNode? VisitLabeledStatement(LabeledStatementSyntax node)
    {
        var n = (LabeledStatementSyntax)base.VisitLabeledStatement(node)!;
        // A declaration after a label would change scope inside a block; such a label is left alone.
        if (n.Statement is LocalDeclarationStatementSyntax or LocalFunctionStatementSyntax) return n;
        return n.WithStatement(Instrument(n.Statement));
    }

    // --- methods and other members with bodies ---

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var n = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (n.Body is not null) return n.WithBody(Instrument(n.Body, EnterCall));
        if (n.ExpressionBody is null) return n;
        return n.WithExpressionBody(null).WithSemicolonToken(default)
            .WithBody(ToBlock(n.ExpressionBody, n.SemicolonToken, EnterCall, ReturnsValue(node, node.ReturnType, node.Modifiers)));
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var n = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        if (n.Body is not null) return n.WithBody(Instrument(n.Body, EnterCall));
        if (n.ExpressionBody is null) return n;
        return n.WithExpressionBody(null).WithSemicolonToken(default)
            .WithBody(ToBlock(n.ExpressionBody, n.SemicolonToken, EnterCall, ReturnsValue(node, node.ReturnType, node.Modifiers)));
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var n = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        if (n.Body is not null) return n.WithBody(Instrument(n.Body, EnterCall));
        if (n.ExpressionBody is null) return n;
        return n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(ToBlock(n.ExpressionBody, n.SemicolonToken, EnterCall, returnsValue: false));
    }

    public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node)
    {
        var n = (OperatorDeclarationSyntax)base.VisitOperatorDeclaration(node)!;
        if (n.Body is not null) return n.WithBody(Instrument(n.Body, EnterCall));
        if (n.ExpressionBody is null) return n;
        return n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(ToBlock(n.ExpressionBody, n.SemicolonToken, EnterCall, ReturnsValue(node, node.ReturnType, node.Modifiers)));
    }

    public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node)
    {
        var n = (ConversionOperatorDeclarationSyntax)base.VisitConversionOperatorDeclaration(node)!;
        if (n.Body is not null) return n.WithBody(Instrument(n.Body, EnterCall));
        if (n.ExpressionBody is null) return n;
        return n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(ToBlock(n.ExpressionBody, n.SemicolonToken, EnterCall, returnsValue: true));
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var n = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        if (n.Body is not null) return n.WithBody(Instrument(n.Body, EnterCall));
        if (n.ExpressionBody is null) return n;
        var returnsValue = n.Keyword.IsKind(SyntaxKind.GetKeyword);
        return n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(ToBlock(n.ExpressionBody, n.SemicolonToken, EnterCall, returnsValue));
    }

    public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
    {
        var n = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
        if (n.ExpressionBody is null) return n;
        return n.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(GetterOnly(n.ExpressionBody, n.SemicolonToken));
    }

    public override SyntaxNode? VisitIndexerDeclaration(IndexerDeclarationSyntax node)
    {
        var n = (IndexerDeclarationSyntax)base.VisitIndexerDeclaration(node)!;
        if (n.ExpressionBody is null) return n;
        return n.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(GetterOnly(n.ExpressionBody, n.SemicolonToken));
    }

    /// <summary><c>=&gt; expr;</c> of a property or indexer as <c>{ get { Enter(); return expr; } }</c> on the same line.</summary>
    private static AccessorListSyntax GetterOnly(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon)
    {
        var getter = SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration)
            .WithKeyword(SyntaxFactory.Token(SyntaxKind.GetKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithBody(ToBlock(arrow, default, EnterCall, returnsValue: true).WithoutTrivia());
        return SyntaxFactory.AccessorList(
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.SingletonList(getter),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(arrow.GetLeadingTrivia())
            .WithTrailingTrivia(semicolon.TrailingTrivia);
    }

    // Finalizers run on the finalizer thread, where an exception ends the process: never instrumented.
    public override SyntaxNode? VisitDestructorDeclaration(DestructorDeclarationSyntax node) => node;

    // --- lambdas and anonymous methods ---

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        if (IsExpressionTree(node)) return node;
        var n = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
        if (n.Block is not null) return n.WithBlock(Instrument(n.Block, CheckCall));
        return LambdaReturnsValue(node) is { } returnsValue
            ? n.WithExpressionBody(null).WithBlock(ToBlock(n.ExpressionBody!, returnsValue))
            : n;
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        if (IsExpressionTree(node)) return node;
        var n = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
        if (n.Block is not null) return n.WithBlock(Instrument(n.Block, CheckCall));
        return LambdaReturnsValue(node) is { } returnsValue
            ? n.WithExpressionBody(null).WithBlock(ToBlock(n.ExpressionBody!, returnsValue))
            : n;
    }

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        if (IsExpressionTree(node)) return node;
        var n = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
        return n.WithBlock(Instrument(n.Block, CheckCall));
    }

    private static BlockSyntax ToBlock(ExpressionSyntax body, bool returnsValue)
    {
        var expression = body.WithoutLeadingTrivia().WithoutTrailingTrivia();
        StatementSyntax statement = expression switch
        {
            ThrowExpressionSyntax t => SyntaxFactory.ThrowStatement(t.Expression.WithLeadingTrivia(SyntaxFactory.Space)),
            _ when returnsValue => SyntaxFactory.ReturnStatement(expression.WithLeadingTrivia(SyntaxFactory.Space)),
            _ => SyntaxFactory.ExpressionStatement(expression),
        };
        return SyntaxFactory.Block(Call(CheckCall), statement.WithTrailingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(body.GetLeadingTrivia())
            .WithTrailingTrivia(body.GetTrailingTrivia());
    }

    /// <summary>Whether the lambda's delegate returns a value; null when unknown (no semantic model, or it did not bind).</summary>
    private bool? LambdaReturnsValue(AnonymousFunctionExpressionSyntax lambda)
    {
        if (_model?.GetSymbolInfo(lambda).Symbol is not IMethodSymbol method) return null;
        if (method.ReturnType is IErrorTypeSymbol || method.Parameters.Any(p => p.Type is IErrorTypeSymbol)) return null;
        if (method.ReturnsByRef || method.ReturnsByRefReadonly) return null;
        return ReturnsValue(method);
    }

    /// <summary>True for a lambda converted to <c>Expression&lt;TDelegate&gt;</c>, which must stay an expression (and so must every lambda inside it).</summary>
    private bool IsExpressionTree(AnonymousFunctionExpressionSyntax lambda)
    {
        if (_model is null) return lambda is LambdaExpressionSyntax { ExpressionBody: not null }; // unknown: leave expression lambdas (and their insides) alone
        return _model.GetTypeInfo(lambda).ConvertedType is INamedTypeSymbol { Name: "Expression", IsGenericType: true } t
               && t.ContainingNamespace.ToDisplayString() == "System.Linq.Expressions";
    }
}
