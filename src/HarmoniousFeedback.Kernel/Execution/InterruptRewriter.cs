using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// Makes a cell interruptible without killing the process: inserts
/// <c>global::HarmoniousFeedback.Kernel.Execution.InterruptGate.Check();</c> as the first statement of every loop body
/// (<c>while</c>, <c>do</c>, <c>for</c>, <c>foreach</c>) and of every block-bodied method, local function, constructor,
/// accessor, lambda and anonymous method, so that <c>while (true) { }</c> and unbounded recursion both reach it.
/// No line breaks are added, so line numbers in runtime stack traces still match the cell; compile errors are
/// always reported from the unmodified cell.
/// </summary>
internal sealed class InterruptRewriter : CSharpSyntaxRewriter
{
    private const string CheckCall = "global::HarmoniousFeedback.Kernel.Execution.InterruptGate.Check();";

    /// <summary>Rewrites a parsed cell; returns its new full text.</summary>
    public static string Rewrite(SyntaxNode root) => new InterruptRewriter().Visit(root).ToFullString();

    private static StatementSyntax Check() => SyntaxFactory.ParseStatement(CheckCall).WithTrailingTrivia(SyntaxFactory.Space);

    private static BlockSyntax Instrument(BlockSyntax block) => block.WithStatements(block.Statements.Insert(0, Check()));

    private static StatementSyntax Instrument(StatementSyntax body) => body switch
    {
        BlockSyntax b => Instrument(b),
        _ => SyntaxFactory.Block(Check(), body.WithoutLeadingTrivia().WithoutTrailingTrivia())
                .WithLeadingTrivia(body.GetLeadingTrivia()).WithTrailingTrivia(body.GetTrailingTrivia()),
    };

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

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var n = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        return n.Body is null ? n : n.WithBody(Instrument(n.Body));
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var n = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return n.Body is null ? n : n.WithBody(Instrument(n.Body));
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var n = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        return n.Body is null ? n : n.WithBody(Instrument(n.Body));
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var n = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        return n.Body is null ? n : n.WithBody(Instrument(n.Body));
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        var n = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
        return n.Block is null ? n : n.WithBlock(Instrument(n.Block));
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        var n = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
        return n.Block is null ? n : n.WithBlock(Instrument(n.Block));
    }

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        var n = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
        return n.WithBlock(Instrument(n.Block));
    }
}
