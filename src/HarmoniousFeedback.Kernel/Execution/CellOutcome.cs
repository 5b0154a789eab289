namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>How a cell ended: its displayed result (if the cell ended with an expression) or the error to report.</summary>
public sealed record CellOutcome
{
    /// <summary>The MIME bundle of the cell's trailing expression, or null when the cell ends with a statement or a void call.</summary>
    public IReadOnlyDictionary<string, string>? Result { get; init; }

    /// <summary>The error, or null when the cell succeeded.</summary>
    public CellError? Error { get; init; }

    public static CellOutcome Ok(IReadOnlyDictionary<string, string>? result = null) => new() { Result = result };

    public static CellOutcome Failed(CellError error) => new() { Error = error };
}

/// <summary>A Jupyter <c>error</c>: exception name, value (message) and traceback lines.</summary>
/// <param name="Name">e.g. <c>CompilationError</c>, <c>InvalidOperationException</c>, <c>CellInterruptedException</c>.</param>
/// <param name="Value">The message; for compile errors the first diagnostic with its line and column.</param>
/// <param name="Traceback">All diagnostics, or the exception and its script frames.</param>
public sealed record CellError(string Name, string Value, IReadOnlyList<string> Traceback);
