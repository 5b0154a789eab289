using System.Globalization;

namespace HarmoniousFeedback.Kernel.Lifecycle;

/// <summary>
/// Ends the kernel when the Jupyter client that started it is gone, as ipykernel's <c>ParentPollerUnix</c> does:
/// jupyter_client sets <c>JPY_PARENT_PID</c> to its own process id when it launches a kernel; when that variable names
/// a process other than init, the kernel checks once per <see cref="Interval"/> whether its parent changed
/// (<c>getppid()</c> differs from the one at start: the parent died and the kernel was re-parented, to init or a
/// sub-reaper) or the <c>JPY_PARENT_PID</c> process no longer exists, and then calls <c>onParentGone</c> once.
/// Without <c>JPY_PARENT_PID</c> (a kernel started by hand or by a test) nothing is watched.
/// </summary>
internal sealed class ParentProcessWatcher : IDisposable
{
    /// <summary>How often the parent is checked (ipykernel: 1 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly int _launcherPid;
    private readonly int _initialParentPid;
    private readonly Action<string> _onParentGone;
    private readonly Timer _timer;
    private int _fired;

    private ParentProcessWatcher(int launcherPid, int initialParentPid, Action<string> onParentGone)
    {
        _launcherPid = launcherPid;
        _initialParentPid = initialParentPid;
        _onParentGone = onParentGone;
        _timer = new Timer(_ => Poll(), null, Interval, Interval);
    }

    /// <summary>The launcher's process id from <c>JPY_PARENT_PID</c>, or null when unset, unparsable or init (1).</summary>
    public static int? LauncherPid(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1 ? pid : null;

    /// <summary>Starts watching when <c>JPY_PARENT_PID</c> names a launcher and the platform has <c>getppid</c>; otherwise null.</summary>
    /// <param name="onParentGone">Called once, on a timer thread, with a sentence saying what was seen.</param>
    public static ParentProcessWatcher? Start(Action<string> onParentGone)
    {
        if (!PosixNative.IsSupported) return null;
        if (LauncherPid(Environment.GetEnvironmentVariable("JPY_PARENT_PID")) is not { } launcher) return null;
        return new ParentProcessWatcher(launcher, PosixNative.ParentProcessId(), onParentGone);
    }

    private void Poll()
    {
        if (Volatile.Read(ref _fired) != 0) return;
        string? reason = null;
        var parent = PosixNative.ParentProcessId();
        if (parent != _initialParentPid)
            reason = $"the kernel's parent process {_initialParentPid} exited (the kernel now belongs to process {parent})";
        else if (!PosixNative.ProcessExists(_launcherPid))
            reason = $"the Jupyter client that launched the kernel (JPY_PARENT_PID={_launcherPid}) exited";
        if (reason is null || Interlocked.Exchange(ref _fired, 1) != 0) return;
        _onParentGone(reason);
    }

    public void Dispose() => _timer.Dispose();
}
