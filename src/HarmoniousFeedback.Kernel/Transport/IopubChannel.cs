using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Protocol;

namespace HarmoniousFeedback.Kernel.Transport;

/// <summary>
/// The IOPub PUB socket and the one thread allowed to use it. Any thread (shell handler, executing cell, stream
/// flush timer, control handler) calls <see cref="Publish"/>, which only enqueues; the sender thread serialises,
/// signs and sends in FIFO order. PUB sockets never block: a subscriber that falls behind the high-water mark loses
/// messages instead of stalling the kernel.
/// </summary>
internal sealed class IopubChannel : IDisposable
{
    private readonly BlockingCollection<JupyterMessage> _queue = new();
    private readonly ZmqSocket _socket;
    private readonly MessageSigner _signer;
    private readonly string _session;
    private readonly string _topicPrefix;
    private readonly Thread _thread;
    private readonly TextWriter _log;

    public IopubChannel(ZmqSocket socket, MessageSigner signer, string session, string kernelId, TextWriter log)
    {
        _socket = socket;
        _signer = signer;
        _session = session;
        _topicPrefix = "kernel." + kernelId + ".";
        _log = log;
        _thread = new Thread(Loop) { IsBackground = true, Name = "hfb-kernel iopub" };
        _thread.Start();
    }

    /// <summary>Queues an iopub message of type <paramref name="msgType"/> caused by the request with header <paramref name="parentHeader"/>.</summary>
    public void Publish(string msgType, JsonObject content, JsonObject? parentHeader)
    {
        var message = new JupyterMessage
        {
            Identities = [Encoding.UTF8.GetBytes(_topicPrefix + msgType)],
            Header = JupyterMessage.ChildHeader(msgType, parentHeader, _session),
            ParentHeader = parentHeader?.DeepClone().AsObject() ?? new JsonObject(),
            Content = content,
        };
        try { _queue.Add(message); }
        catch (InvalidOperationException) { } // shutting down: late output of an abandoned cell is dropped
    }

    /// <summary>Publishes <c>status</c> with <c>execution_state</c> busy, idle or starting.</summary>
    public void Status(string state, JsonObject? parentHeader) => Publish("status", new JsonObject { ["execution_state"] = state }, parentHeader);

    private void Loop()
    {
        try
        {
            foreach (var message in _queue.GetConsumingEnumerable())
                _socket.SendMultipart(message.ToFrames(_signer));
        }
        catch (ZmqException e)
        {
            _log.WriteLine("hfb-kernel: iopub stopped: " + e.Message);
        }
    }

    /// <summary>Sends what is queued, then stops the sender thread (waits at most <paramref name="timeout"/>).</summary>
    public void Drain(TimeSpan timeout)
    {
        _queue.CompleteAdding();
        _thread.Join(timeout);
    }

    public void Dispose() => Drain(TimeSpan.FromSeconds(2));
}
