using System.Runtime.InteropServices;

namespace HarmoniousFeedback.Kernel.Lifecycle;

/// <summary>The three C library calls the kernel's lifecycle needs on Linux and macOS: <c>getppid</c>, <c>kill(pid, 0)</c>, <c>_exit</c>.</summary>
internal static partial class PosixNative
{
    private const string Libc = "libc";
    private const int EPERM = 1;

    [LibraryImport(Libc, EntryPoint = "getppid")]
    private static partial int GetParentProcessIdNative();

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport(Libc, EntryPoint = "_exit")]
    private static partial void ExitNative(int status);

    /// <summary>True on Linux and macOS, where the calls below exist.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>The parent process id (<c>getppid(2)</c>); changes when the parent dies and the process is re-parented.</summary>
    public static int ParentProcessId() => GetParentProcessIdNative();

    /// <summary>Whether a process with this id exists (<c>kill(pid, 0)</c> succeeds, or fails only for lack of permission).</summary>
    public static bool ProcessExists(int pid) => Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPERM;

    /// <summary>Ends the process at once with <paramref name="status"/> (<c>_exit(2)</c>: no managed shutdown, nothing can block it).</summary>
    public static void ExitNow(int status) => ExitNative(status);
}
