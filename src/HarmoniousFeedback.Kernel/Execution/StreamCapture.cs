using System.Text;

namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// A <see cref="TextWriter"/> that stands in for <c>Console.Out</c>/<c>Console.Error</c> while the kernel runs and
/// batches text into Jupyter <c>stream</c> messages: it flushes every <see cref="FlushInterval"/> from a timer and
/// at once when <see cref="MaxChunkChars"/> characters are pending, so a cell writing 10 MB produces ~160 messages of
/// 64 K characters rather than 100 000 tiny ones, and never waits for the front end (the iopub queue and the PUB
/// socket do not block). Thread-safe: cells may write from thread-pool threads.
/// </summary>
internal sealed class StreamCapture : TextWriter
{
    /// <summary>Pending characters that trigger an immediate flush.</summary>
    public const int MaxChunkChars = 64 * 1024;

    /// <summary>How often pending text is sent when a cell writes slowly.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    private readonly object _gate = new();
    private readonly StringBuilder _pending = new();
    private readonly Action<string, string> _emit;
    private readonly Timer _timer;

    /// <param name="name"><c>stdout</c> or <c>stderr</c>.</param>
    /// <param name="emit">Receives (stream name, text); called under this writer's lock, so chunks keep their order.</param>
    public StreamCapture(string name, Action<string, string> emit)
    {
        Name = name;
        _emit = emit;
        _timer = new Timer(_ => { lock (_gate) FlushLocked(partial: true); }, null, FlushInterval, FlushInterval);
    }

    /// <summary>The Jupyter stream name.</summary>
    public string Name { get; }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _pending.Append(value);
            if (_pending.Length >= MaxChunkChars) FlushLocked(partial: true);
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (_gate)
        {
            _pending.Append(value);
            if (_pending.Length >= MaxChunkChars) FlushLocked(partial: true);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            _pending.Append(buffer);
            if (_pending.Length >= MaxChunkChars) FlushLocked(partial: true);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _pending.Append(value).Append(CoreNewLine);
            if (_pending.Length >= MaxChunkChars) FlushLocked(partial: true);
        }
    }

    /// <summary>Sends whatever is pending as one stream message.</summary>
    public override void Flush()
    {
        lock (_gate) FlushLocked(partial: false);
    }

    /// <param name="partial">
    /// A flush the writer chose (timer, size) rather than one asked for (end of cell, <c>Flush()</c>): it keeps a
    /// trailing high surrogate back, so that a character written in two halves (<c>foreach (var c in text)
    /// Console.Write(c);</c>) is not split between two messages, which would turn each half into U+FFFD.
    /// </param>
    private void FlushLocked(bool partial)
    {
        var length = _pending.Length;
        if (partial && length > 0 && char.IsHighSurrogate(_pending[length - 1])) length--;
        if (length == 0) return;
        var text = _pending.ToString(0, length);
        _pending.Remove(0, length);
        _emit(Name, text);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Dispose();
            Flush();
        }
        base.Dispose(disposing);
    }
}
