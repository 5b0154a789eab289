using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// The cooperative interrupt points that <see cref="InterruptRewriter"/> inserts into a cell: <see cref="Check"/> at
/// the top of every loop body, <c>switch</c> section, labelled statement and lambda, <see cref="Enter"/> at the top of
/// every method, local function, accessor, operator and constructor. While nothing is pending both cost one volatile
/// read (plus, for <see cref="Enter"/>, a stack-limit comparison).
/// <list type="bullet">
/// <item>An interrupt (<see cref="Request"/>) stays raised until the next cell starts (<see cref="Reset"/>), so a loop
/// that swallows the first <see cref="CellInterruptedException"/> meets it again on its next iteration, and work the
/// interrupted cell started on other threads (<c>Task.Run</c>, <c>Parallel.For</c>) stops too.</item>
/// <item>A thread the kernel gave up on (<see cref="Abandon"/>) meets the exception at every interrupt point it
/// reaches for as long as it runs, whatever cell runs meanwhile: library code without interrupt points that returns
/// into the cell's code ends there.</item>
/// <item><see cref="Enter"/> also turns runaway recursion into an <see cref="InsufficientExecutionStackException"/>
/// before the stack overflows, which .NET cannot catch and which would end the kernel process.</item>
/// </list>
/// </summary>
public static class InterruptGate
{
    private const int Requested = 1, AbandonedAlive = 2;
    private static volatile int s_state;
    private static readonly ConcurrentDictionary<int, byte> s_abandoned = new();
    private static readonly object s_lock = new();

    /// <summary>True between an interrupt request and the start of the next cell.</summary>
    public static bool IsRequested => (s_state & Requested) != 0;

    /// <summary>Called by instrumented cell code in loops and lambdas; throws <see cref="CellInterruptedException"/> when the running code must stop.</summary>
    public static void Check()
    {
        if (s_state != 0) Slow();
    }

    /// <summary>
    /// Called by instrumented cell code at the entry of a method, local function, accessor, operator or constructor:
    /// <see cref="Check"/>, then <see cref="InsufficientExecutionStackException"/> when less than the runtime's
    /// safety margin (<see cref="RuntimeHelpers.TryEnsureSufficientExecutionStack"/>, 64–128 KB) of stack is left.
    /// </summary>
    public static void Enter()
    {
        if (s_state != 0) Slow();
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new InsufficientExecutionStackException(
                "the cell's call stack is nearly exhausted (runaway recursion?); the kernel stopped it here because a stack overflow would end the kernel process");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Slow()
    {
        var state = s_state;
        if ((state & Requested) != 0) throw new CellInterruptedException();
        if ((state & AbandonedAlive) != 0 && s_abandoned.ContainsKey(Environment.CurrentManagedThreadId)) throw new CellInterruptedException();
    }

    internal static void Request()
    {
        lock (s_lock) s_state |= Requested;
    }

    internal static void Reset()
    {
        lock (s_lock) s_state &= ~Requested;
    }

    /// <summary>Marks a thread as abandoned: every interrupt point it reaches from now on throws.</summary>
    internal static void Abandon(int managedThreadId)
    {
        lock (s_lock)
        {
            s_abandoned[managedThreadId] = 0;
            s_state |= AbandonedAlive;
        }
    }

    /// <summary>An abandoned thread has ended; forget it (the fast path returns once none is left).</summary>
    internal static void Ended(int managedThreadId)
    {
        lock (s_lock)
        {
            s_abandoned.TryRemove(managedThreadId, out _);
            if (s_abandoned.IsEmpty) s_state &= ~AbandonedAlive;
        }
    }

    /// <summary>The number of abandoned threads still running (for diagnostics and tests).</summary>
    internal static int AbandonedCount => s_abandoned.Count;
}

/// <summary>The running cell was interrupted (Jupyter's "interrupt kernel"); the kernel and its state stay alive.</summary>
public sealed class CellInterruptedException : Exception
{
    public CellInterruptedException() : base("the cell was interrupted") { }
}
