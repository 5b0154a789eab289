namespace HarmoniousFeedback.Kernel;

/// <summary>
/// Base of the kernel's error family. The kernel does not reference the toolkit library (it must load in any
/// notebook), so it carries its own small hierarchy; <c>Program</c> maps it to a one-line message and exit code 2.
/// </summary>
public class KernelException : Exception
{
    public KernelException(string message) : base(message) { }
    public KernelException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The connection file is missing, unreadable, or lacks a field the kernel needs (names the field and value).</summary>
public sealed class ConnectionFileException : KernelException
{
    public ConnectionFileException(string message) : base(message) { }
    public ConnectionFileException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The native ZeroMQ library (Debian package <c>libzmq5</c>, <c>libzmq.so.5</c>) cannot be loaded.</summary>
public sealed class ZmqUnavailableException : KernelException
{
    public ZmqUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A libzmq call failed; carries the libzmq error number and the operation that failed.</summary>
public sealed class ZmqException : KernelException
{
    public ZmqException(string operation, int errno, string description)
        : base($"{operation} failed: {description} (errno {errno})")
    {
        Operation = operation;
        ErrorNumber = errno;
    }

    /// <summary>The failing call with its argument, e.g. <c>zmq_bind(tcp://127.0.0.1:5555)</c>.</summary>
    public string Operation { get; }

    /// <summary>The <c>zmq_errno()</c> value.</summary>
    public int ErrorNumber { get; }
}

/// <summary>A wire message that does not follow the Jupyter messaging protocol (missing delimiter, bad JSON, bad signature).</summary>
public sealed class ProtocolException : KernelException
{
    public ProtocolException(string message) : base(message) { }
    public ProtocolException(string message, Exception inner) : base(message, inner) { }
}
