namespace HarmoniousFeedback.Kernel.Execution;

/// <summary>
/// The kernel's <see cref="Console.In"/>: <c>Console.ReadLine()</c>, <c>Console.Read()</c> and the other reads ask the
/// front end for one line at a time (an <c>input_request</c> on the stdin channel, answered by the input box Jupyter
/// shows under the cell) through the function given to the constructor, which throws
/// <see cref="StdinNotAvailableException"/> when the front end does not accept input requests. A notebook has no end of
/// input: <see cref="ReadToEnd"/> and block reads return what is buffered, else one more line. The kernel discards
/// what is left of a partly read line when the next cell starts (<see cref="DiscardBuffered"/>).
/// </summary>
internal sealed class StdinReader : TextReader
{
    private readonly Func<string, string> _requestLine;
    private string _buffer = "";
    private int _position;

    /// <param name="requestLine">Asks the front end for one line (the argument is the prompt) and returns it without its line break.</param>
    public StdinReader(Func<string, string> requestLine) => _requestLine = requestLine;

    private bool Empty => _position >= _buffer.Length;

    /// <summary>Forgets the rest of a line an earlier cell read only partly (<c>Console.Read()</c>): each cell asks afresh, as in IPython.</summary>
    public void DiscardBuffered()
    {
        _buffer = "";
        _position = 0;
    }

    private void Fill()
    {
        if (!Empty) return;
        _buffer = _requestLine("") + "\n";
        _position = 0;
    }

    public override string? ReadLine()
    {
        if (Empty) return _requestLine("");
        var end = _buffer.IndexOf('\n', _position);
        var line = _buffer[_position..(end < 0 ? _buffer.Length : end)];
        _position = end < 0 ? _buffer.Length : end + 1;
        return line;
    }

    public override int Peek()
    {
        Fill();
        return _buffer[_position];
    }

    public override int Read()
    {
        Fill();
        return _buffer[_position++];
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty) return 0;
        Fill();
        var n = Math.Min(buffer.Length, _buffer.Length - _position);
        _buffer.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int ReadBlock(Span<char> buffer) => Read(buffer);

    public override int ReadBlock(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override string ReadToEnd()
    {
        Fill();
        var rest = _buffer[_position..];
        _position = _buffer.Length;
        return rest;
    }
}
