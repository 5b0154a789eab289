using HarmoniousFeedback.Kernel.Execution;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Execution;

/// <summary><see cref="StdinReader"/>: every read asks for one line at a time, only when nothing is buffered.</summary>
public sealed class StdinReaderTests
{
    private static (StdinReader Reader, List<string> Asked) Reader(params string[] lines)
    {
        var asked = new List<string>();
        var queue = new Queue<string>(lines);
        return (new StdinReader(prompt =>
        {
            asked.Add(prompt);
            return queue.Dequeue();
        }), asked);
    }

    [Fact]
    public void ReadLine_asks_for_one_line_per_call()
    {
        var (reader, asked) = Reader("first", "");
        Assert.Equal("first", reader.ReadLine());
        Assert.Equal("", reader.ReadLine()); // an empty answer is an empty line, not the end of input
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public void Read_returns_the_line_char_by_char_then_the_line_break_before_asking_again()
    {
        var (reader, asked) = Reader("ab", "c");
        Assert.Equal('a', reader.Peek());
        Assert.Equal('a', reader.Read());
        Assert.Equal("b", reader.ReadLine()); // the rest of the buffered line, without asking
        Assert.Single(asked);
        Assert.Equal('c', reader.Read());
        Assert.Equal('\n', reader.Read());
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public void Block_reads_and_read_to_end_return_one_line_since_a_notebook_has_no_end_of_input()
    {
        var (reader, asked) = Reader("hello", "world");
        var buffer = new char[64];
        Assert.Equal(6, reader.Read(buffer, 0, buffer.Length));
        Assert.Equal("hello\n", new string(buffer, 0, 6));
        Assert.Equal("world\n", reader.ReadToEnd());
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public void DiscardBuffered_makes_the_next_read_ask_again()
    {
        var (reader, asked) = Reader("xyz", "next");
        Assert.Equal('x', reader.Read());
        reader.DiscardBuffered(); // a new cell starts
        Assert.Equal("next", reader.ReadLine());
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public void A_refused_read_throws_the_front_ends_reason()
    {
        var reader = new StdinReader(_ => throw new StdinNotAvailableException("no input here"));
        Assert.Equal("no input here", Assert.Throws<StdinNotAvailableException>(() => reader.ReadLine()).Message);
    }
}
