using System.Collections.Concurrent;
using System.Diagnostics;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// Runs cells on a dedicated execution thread (16 MB stack) so that the shell, control and iopub threads stay
/// responsive, and implements interrupts in three layers: (1) the cell's <see cref="CancellationToken"/> is
/// cancelled (Roslyn and awaiting code observe it); (2) <see cref="InterruptGate"/> is raised, which the
/// instrumented loops and method bodies check; (3) a thread blocked in <c>Thread.Sleep</c>/<c>Wait</c>/<c>Join</c>
/// is woken with <see cref="Thread.Interrupt"/>. A cell that still runs after <see cref="InterruptGrace"/> (it
/// swallows every exception in a loop) is abandoned: its thread is left behind as a background thread, the cell
/// reports an error, the state before it is kept and later cells run on a fresh thread.
/// </summary>
internal sealed class CellExecutor : IDisposable
{
    /// <summary>How long an interrupted cell may take to stop before its thread is abandoned.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(5);

    private readonly ScriptSession _session;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Worker _worker;
    private CancellationTokenSource? _running;
    private long _interruptedAt;

    public CellExecutor(ScriptSession session)
    {
        _session = session;
        _worker = new Worker();
        _worker.Post(() =>
        {
            try { _session.WarmUp(); _ready.SetResult(); }
            catch (Exception e) { _ready.SetException(e); }
        });
    }

    /// <summary>Completes when the warm-up submission has run (the first cell waits for it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Runs one cell on the execution thread and waits for it; see the class remarks for interrupts.</summary>
    /// <param name="whileRunning">Called on the waiting thread every few milliseconds while the cell runs (the kernel serves the cell's input requests there).</param>
    public CellOutcome Execute(string code, string? cellName = null, Action? whileRunning = null)
    {
        Ready.GetAwaiter().GetResult();
        var cts = new CancellationTokenSource();
        var done = new TaskCompletionSource<CellOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Worker worker;
        lock (_gate)
        {
            InterruptGate.Reset();
            _running = cts;
            _interruptedAt = 0;
            worker = _worker;
        }
        worker.Post(() =>
        {
            CellOutcome outcome;
            try { outcome = _session.Execute(code, cts.Token, cellName); }
            catch (OperationCanceledException) { outcome = CellOutcome.Failed(ScriptSession.Interrupted()); }
            catch (ThreadInterruptedException) { outcome = CellOutcome.Failed(ScriptSession.Interrupted()); }
            catch (Exception e) { outcome = CellOutcome.Failed(ScriptSession.RuntimeError(e)); }
            if (cts.IsCancellationRequested)
            {
                // Consume a Thread.Interrupt that arrived after the cell's last blocking call.
                try { Thread.Sleep(1); } catch (ThreadInterruptedException) { }
            }
            done.TrySetResult(outcome);
        });

        try
        {
            while (!done.Task.Wait(whileRunning is null ? 50 : 20))
            {
                whileRunning?.Invoke();
                long interruptedAt;
                lock (_gate) interruptedAt = _interruptedAt;
                if (interruptedAt == 0) continue;
                if (Stopwatch.GetElapsedTime(interruptedAt) < InterruptGrace)
                {
                    worker.WakeIfBlocked();
                    continue;
                }
                lock (_gate)
                {
                    _session.Abandon();
                    InterruptGate.Abandon(worker.ManagedThreadId);
                    worker.Complete();
                    _worker = new Worker();
                }
                return CellOutcome.Failed(new CellError(nameof(CellInterruptedException),
                    $"the cell did not stop within {InterruptGrace.TotalSeconds:0} s of the interrupt; its thread was abandoned",
                    [
                        $"CellInterruptedException: the cell did not stop within {InterruptGrace.TotalSeconds:0} s of the interrupt: it is inside code without interrupt points (a library call, a LINQ query expression, native code) or it catches the interrupt exception.",
                        "Its thread was abandoned: it stops at the next interrupt point it reaches (when the library call returns into the cell's code); until then it keeps running in the background. Restart the kernel to end it at once.",
                        "The kernel state is the one before this cell: its declarations are dropped, assignments it already made to earlier variables stay.",
                    ]));
            }
            return done.Task.Result;
        }
        finally
        {
            // The gate stays raised after an interrupt until the next cell starts, so that work the interrupted cell
            // started on other threads (Task.Run, Parallel.For, timers) meets it too.
            lock (_gate) _running = null;
            cts.Dispose();
        }
    }

    /// <summary>Interrupts the running cell, if any (from the control thread or a SIGINT handler). Returns whether a cell was running.</summary>
    public bool Interrupt()
    {
        lock (_gate)
        {
            if (_running is null) return false;
            InterruptGate.Request();
            if (_interruptedAt == 0) _interruptedAt = Stopwatch.GetTimestamp();
            try { _running.Cancel(); }
            catch (AggregateException) { } // a callback registered by the cell threw; the interrupt still proceeds
            _worker.WakeIfBlocked();
            return true;
        }
    }

    public void Dispose() => _worker.Complete();

    /// <summary>One execution thread and its queue of work items.</summary>
    private sealed class Worker
    {
        private readonly BlockingCollection<Action> _queue = new();
        private readonly Thread _thread;

        public Worker()
        {
            _thread = new Thread(Loop, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = "hfb-kernel execution" };
            _thread.Start();
        }

        public int ManagedThreadId => _thread.ManagedThreadId;

        public void Post(Action work) => _queue.Add(work);

        public void Complete() => _queue.CompleteAdding();

        /// <summary>Wakes the thread from Sleep/Wait/Join; the cell sees a <see cref="ThreadInterruptedException"/>.</summary>
        public void WakeIfBlocked()
        {
            if ((_thread.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0) _thread.Interrupt();
        }

        private void Loop()
        {
            try
            {
                while (true)
                {
                    Action work;
                    try
                    {
                        if (!_queue.TryTake(out work!, Timeout.Infinite)) return;
                    }
                    catch (ThreadInterruptedException) { continue; } // a late interrupt of a cell that had just finished
                    catch (InvalidOperationException) { return; } // completed
                    // A Thread.Interrupt aimed at the previous cell may still be pending (the thread was blocked when the
                    // interrupt looked and had left the wait when it arrived): consume it so that it cannot fail this one.
                    try { Thread.Sleep(0); }
                    catch (ThreadInterruptedException) { }
                    work();
                }
            }
            finally
            {
                InterruptGate.Ended(Environment.CurrentManagedThreadId);
            }
        }
    }
}
