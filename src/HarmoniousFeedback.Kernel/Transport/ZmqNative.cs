using System.Runtime.InteropServices;

namespace HarmoniousFeedback.Kernel.Transport;

/// <summary>
/// P/Invoke declarations for the subset of the libzmq 4.x C API the kernel uses
/// (<c>zmq_ctx_*</c>, <c>zmq_socket</c>, <c>zmq_bind/connect</c>, <c>zmq_msg_*</c>, <c>zmq_send</c>, <c>zmq_poll</c>).
/// Linux library name: <c>libzmq.so.5</c> (Debian package <c>libzmq5</c>).
/// </summary>
internal static unsafe partial class ZmqNative
{
    public const string Library = "libzmq.so.5";

    // Socket types (zmq.h).
    public const int ZMQ_PUB = 1, ZMQ_SUB = 2, ZMQ_REQ = 3, ZMQ_REP = 4, ZMQ_DEALER = 5, ZMQ_ROUTER = 6;

    // Socket options.
    public const int ZMQ_IDENTITY = 5, ZMQ_SUBSCRIBE = 6, ZMQ_LINGER = 17, ZMQ_RCVTIMEO = 27, ZMQ_SNDTIMEO = 28,
        ZMQ_SNDHWM = 23, ZMQ_RCVHWM = 24, ZMQ_ROUTER_HANDOVER = 56;

    // Send/receive flags, poll events.
    public const int ZMQ_DONTWAIT = 1, ZMQ_SNDMORE = 2;
    public const short ZMQ_POLLIN = 1, ZMQ_POLLOUT = 2;

    // errno values libzmq reports that the kernel handles.
    public const int EAGAIN = 11, EINTR = 4, ETERM = 156384765; // ETERM = ZMQ_HAUSNUMERO + 53

    /// <summary><c>zmq_msg_t</c> is an opaque 64-byte, 8-aligned structure.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct ZmqMsg { private long _0; }

    /// <summary><c>zmq_pollitem_t</c> on POSIX: <c>{ void* socket; int fd; short events; short revents; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollItem
    {
        public nint Socket;
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library)] public static partial nint zmq_ctx_new();
    [LibraryImport(Library)] public static partial int zmq_ctx_term(nint context);
    [LibraryImport(Library)] public static partial int zmq_ctx_shutdown(nint context);
    [LibraryImport(Library)] public static partial nint zmq_socket(nint context, int type);
    [LibraryImport(Library)] public static partial int zmq_close(nint socket);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int zmq_bind(nint socket, string endpoint);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int zmq_connect(nint socket, string endpoint);
    [LibraryImport(Library)] public static partial int zmq_setsockopt(nint socket, int option, void* value, nuint size);
    [LibraryImport(Library)] public static partial int zmq_getsockopt(nint socket, int option, void* value, nuint* size);
    [LibraryImport(Library)] public static partial int zmq_send(nint socket, void* buffer, nuint length, int flags);
    [LibraryImport(Library)] public static partial int zmq_msg_init(ZmqMsg* msg);
    [LibraryImport(Library)] public static partial int zmq_msg_recv(ZmqMsg* msg, nint socket, int flags);
    [LibraryImport(Library)] public static partial int zmq_msg_close(ZmqMsg* msg);
    [LibraryImport(Library)] public static partial void* zmq_msg_data(ZmqMsg* msg);
    [LibraryImport(Library)] public static partial nuint zmq_msg_size(ZmqMsg* msg);
    [LibraryImport(Library)] public static partial int zmq_msg_more(ZmqMsg* msg);
    [LibraryImport(Library)] public static partial int zmq_poll(PollItem* items, int count, long timeoutMs);
    [LibraryImport(Library)] public static partial int zmq_errno();
    [LibraryImport(Library)] public static partial nint zmq_strerror(int errnum);
    [LibraryImport(Library)] public static partial void zmq_version(int* major, int* minor, int* patch);

    /// <summary>Throws <see cref="ZmqException"/> with libzmq's description of the current errno.</summary>
    public static ZmqException Error(string operation)
    {
        var errno = zmq_errno();
        return new ZmqException(operation, errno, Marshal.PtrToStringUTF8(zmq_strerror(errno)) ?? "unknown error");
    }
}
