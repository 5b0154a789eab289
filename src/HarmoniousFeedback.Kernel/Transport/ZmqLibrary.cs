using System.Reflection;
using System.Runtime.InteropServices;

namespace HarmoniousFeedback.Kernel.Transport;

/// <summary>
/// Locates the native libzmq for the P/Invoke declarations in <see cref="ZmqNative"/>: <c>$HFB_KERNEL_ZMQ_LIBRARY</c>
/// (a file name or path) when set, else <c>libzmq.so.5</c> on Linux and <c>libzmq.5.dylib</c> on macOS, through the
/// platform's normal library search. Installed as the assembly's DLL import resolver on first use.
/// </summary>
public static class ZmqLibrary
{
    /// <summary>The environment variable that overrides the library name or path.</summary>
    public const string OverrideVariable = "HFB_KERNEL_ZMQ_LIBRARY";

    private static readonly Lazy<nint> Handle = new(Load);
    private static int s_resolverInstalled;

    /// <summary>The name or path the kernel loads.</summary>
    public static string Name =>
        Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } custom ? custom
        : OperatingSystem.IsMacOS() ? "libzmq.5.dylib"
        : ZmqNative.Library;

    /// <summary>True when the library can be loaded.</summary>
    public static bool TryLoad() => Install() && Handle.Value != 0;

    /// <summary>Loads the library or throws <see cref="ZmqUnavailableException"/> saying what was tried and how to install it.</summary>
    public static void EnsureLoaded()
    {
        if (TryLoad()) return;
        throw new ZmqUnavailableException(
            $"the ZeroMQ library '{Name}' cannot be loaded; install it with 'apt-get install -y libzmq5' (Debian/Ubuntu) " +
            $"or your platform's libzmq 4.x package, or point {OverrideVariable} at it", new DllNotFoundException(Name));
    }

    private static bool Install()
    {
        if (Interlocked.Exchange(ref s_resolverInstalled, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(ZmqLibrary).Assembly, Resolve);
        return true;
    }

    private static nint Load() => NativeLibrary.TryLoad(Name, out var handle) ? handle : 0;

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ZmqNative.Library ? Handle.Value : 0;
}
