namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// The cooperative interrupt point that <see cref="InterruptRewriter"/> inserts at the top of every loop body and
/// method/lambda body of a cell: a single volatile read while no interrupt is pending. Once
/// <see cref="Request"/> is called it stays raised until the next cell starts, so a loop that swallows the first
/// <see cref="CellInterruptedException"/> still meets it on its next iteration.
/// </summary>
public static class InterruptGate
{
    private static volatile bool s_requested;

    /// <summary>True between an interrupt request and the start of the next cell.</summary>
    public static bool IsRequested => s_requested;

    /// <summary>Called by instrumented cell code; throws <see cref="CellInterruptedException"/> when an interrupt is pending.</summary>
    public static void Check()
    {
        if (s_requested) throw new CellInterruptedException();
    }

    internal static void Request() => s_requested = true;

    internal static void Reset() => s_requested = false;
}

/// <summary>The running cell was interrupted (Jupyter's "interrupt kernel"); the kernel and its state stay alive.</summary>
public sealed class CellInterruptedException : Exception
{
    public CellInterruptedException() : base("the cell was interrupted") { }
}
