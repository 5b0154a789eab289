namespace HarmoniousFeedback.Kernel.Transport;

/// <summary>
/// One libzmq socket. Not thread-safe: after creation it must be used from a single thread (the kernel gives every
/// socket its own thread; see docs/kernel.md). Frames are byte arrays; a multipart message is a list of frames.
/// </summary>
public sealed unsafe class ZmqSocket : IDisposable
{
    private nint _handle;

    internal ZmqSocket(ZmqContext context, ZmqSocketType type)
    {
        Type = type;
        _handle = ZmqNative.zmq_socket(context.Handle, (int)type);
        if (_handle == 0) throw ZmqNative.Error($"zmq_socket({type})");
        SetInt(ZmqNative.ZMQ_LINGER, 0);
    }

    /// <summary>The socket type given at creation.</summary>
    public ZmqSocketType Type { get; }

    internal nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(ZmqSocket));

    /// <summary>Binds to an endpoint such as <c>tcp://127.0.0.1:5555</c> or <c>ipc:///tmp/kernel-1</c>.</summary>
    public void Bind(string endpoint)
    {
        if (ZmqNative.zmq_bind(Handle, endpoint) != 0) throw ZmqNative.Error($"zmq_bind({endpoint})");
    }

    /// <summary>Connects to an endpoint (client side).</summary>
    public void Connect(string endpoint)
    {
        if (ZmqNative.zmq_connect(Handle, endpoint) != 0) throw ZmqNative.Error($"zmq_connect({endpoint})");
    }

    /// <summary>Sets an integer socket option (<c>ZMQ_LINGER</c>, <c>ZMQ_SNDHWM</c>, ...).</summary>
    public void SetInt(int option, int value)
    {
        if (ZmqNative.zmq_setsockopt(Handle, option, &value, sizeof(int)) != 0) throw ZmqNative.Error($"zmq_setsockopt({option})");
    }

    /// <summary>Sets a binary socket option (<c>ZMQ_SUBSCRIBE</c>, <c>ZMQ_IDENTITY</c>).</summary>
    public void SetBytes(int option, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            if (ZmqNative.zmq_setsockopt(Handle, option, p, (nuint)value.Length) != 0) throw ZmqNative.Error($"zmq_setsockopt({option})");
        }
    }

    /// <summary>Subscribes a SUB socket to every topic.</summary>
    public void SubscribeAll() => SetBytes(ZmqNative.ZMQ_SUBSCRIBE, ReadOnlySpan<byte>.Empty);

    /// <summary>Sends a multipart message; blocks only as libzmq's send does for the socket type (PUB never blocks, it drops at the high-water mark).</summary>
    public void SendMultipart(IReadOnlyList<byte[]> frames)
    {
        for (var i = 0; i < frames.Count; i++)
        {
            var flags = i < frames.Count - 1 ? ZmqNative.ZMQ_SNDMORE : 0;
            var frame = frames[i];
            fixed (byte* p = frame)
            {
                while (ZmqNative.zmq_send(Handle, p, (nuint)frame.Length, flags) < 0)
                {
                    if (ZmqNative.zmq_errno() != ZmqNative.EINTR) throw ZmqNative.Error("zmq_send");
                }
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (-1: forever) for a message and returns all its frames, or null on
    /// timeout. Throws <see cref="ZmqException"/> with <c>ETERM</c> when the context is shut down.
    /// </summary>
    public List<byte[]>? ReceiveMultipart(int timeoutMs)
    {
        if (!Poll(timeoutMs)) return null;
        var frames = new List<byte[]>(8);
        ZmqNative.ZmqMsg msg;
        while (true)
        {
            ZmqNative.zmq_msg_init(&msg);
            try
            {
                while (ZmqNative.zmq_msg_recv(&msg, Handle, 0) < 0)
                {
                    if (ZmqNative.zmq_errno() != ZmqNative.EINTR) throw ZmqNative.Error("zmq_msg_recv");
                }
                var size = (int)ZmqNative.zmq_msg_size(&msg);
                var bytes = new byte[size];
                new ReadOnlySpan<byte>(ZmqNative.zmq_msg_data(&msg), size).CopyTo(bytes);
                frames.Add(bytes);
                if (ZmqNative.zmq_msg_more(&msg) == 0) return frames;
            }
            finally
            {
                ZmqNative.zmq_msg_close(&msg);
            }
        }
    }

    /// <summary>True when a message can be received within <paramref name="timeoutMs"/> (-1: forever).</summary>
    public bool Poll(int timeoutMs)
    {
        var item = new ZmqNative.PollItem { Socket = Handle, Events = ZmqNative.ZMQ_POLLIN };
        while (true)
        {
            var n = ZmqNative.zmq_poll(&item, 1, timeoutMs);
            if (n >= 0) return n > 0 && (item.Revents & ZmqNative.ZMQ_POLLIN) != 0;
            if (ZmqNative.zmq_errno() != ZmqNative.EINTR) throw ZmqNative.Error("zmq_poll");
        }
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0) ZmqNative.zmq_close(h);
    }
}
