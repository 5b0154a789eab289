namespace HarmoniousFeedback.Kernel.Transport;

/// <summary>
/// A libzmq context (<c>zmq_ctx_new</c>). Create one per process; sockets come from <see cref="CreateSocket"/>.
/// Disposing terminates the context, which waits until every socket made from it is closed.
/// </summary>
public sealed class ZmqContext : IDisposable
{
    private nint _handle;

    /// <summary>Creates a context; throws <see cref="ZmqUnavailableException"/> with an install hint when libzmq is missing.</summary>
    public ZmqContext()
    {
        EnsureAvailable();
        _handle = ZmqNative.zmq_ctx_new();
        if (_handle == 0) throw ZmqNative.Error("zmq_ctx_new");
    }

    /// <summary>The libzmq version, e.g. <c>4.3.4</c>, or null when the library cannot be loaded.</summary>
    public static unsafe Version? NativeVersion
    {
        get
        {
            if (!ZmqLibrary.TryLoad()) return null;
            int major, minor, patch;
            ZmqNative.zmq_version(&major, &minor, &patch);
            return new Version(major, minor, patch);
        }
    }

    /// <summary>True when libzmq (see <see cref="ZmqLibrary"/>) can be loaded.</summary>
    public static bool IsAvailable => ZmqLibrary.TryLoad();

    /// <summary>Throws <see cref="ZmqUnavailableException"/> saying how to install libzmq when it cannot be loaded.</summary>
    public static void EnsureAvailable() => ZmqLibrary.EnsureLoaded();

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(ZmqContext));

    /// <summary>A new socket of the given type. It must then be used from one thread only (libzmq sockets are not thread-safe).</summary>
    public ZmqSocket CreateSocket(ZmqSocketType type) => new(this, type);

    /// <summary>
    /// Makes every blocking call on this context's sockets return <c>ETERM</c> (used at shutdown to wake threads);
    /// safe to call from any thread.
    /// </summary>
    public void Shutdown()
    {
        if (_handle != 0) ZmqNative.zmq_ctx_shutdown(_handle);
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h == 0) return;
        while (ZmqNative.zmq_ctx_term(h) != 0 && ZmqNative.zmq_errno() == ZmqNative.EINTR) { }
    }
}

/// <summary>The libzmq socket types the kernel and its test client use.</summary>
public enum ZmqSocketType
{
    Pub = ZmqNative.ZMQ_PUB,
    Sub = ZmqNative.ZMQ_SUB,
    Req = ZmqNative.ZMQ_REQ,
    Rep = ZmqNative.ZMQ_REP,
    Dealer = ZmqNative.ZMQ_DEALER,
    Router = ZmqNative.ZMQ_ROUTER,
}
