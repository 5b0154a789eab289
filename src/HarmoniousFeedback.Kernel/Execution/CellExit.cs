namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// What <c>Environment.Exit(code)</c> in a cell calls after <see cref="InterruptRewriter"/>: the cell ends with a
/// <see cref="CellExitException"/> and the kernel, with every variable of the notebook, keeps running — as IPython
/// reports <c>sys.exit()</c> instead of ending its kernel. Public because rewritten cell code calls it.
/// </summary>
public static class CellExit
{
    /// <summary>Throws <see cref="CellExitException"/> for <paramref name="exitCode"/>.</summary>
    public static void Exit(int exitCode) => throw new CellExitException(exitCode);
}
