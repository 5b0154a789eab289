using System.Diagnostics;
using HarmoniousFeedback.Kernel.Execution;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Execution;

/// <summary><see cref="StreamCapture"/> batches text into stream messages without splitting a character.</summary>
public sealed class StreamCaptureTests
{
    /// <summary>Writes char by char, as <c>foreach (var c in text) Console.Write(c)</c> does.</summary>
    private static void WriteChars(StreamCapture capture, string text)
    {
        foreach (var c in text) capture.Write(c);
    }

    [Fact]
    public void A_flush_at_the_size_limit_keeps_a_surrogate_pair_together()
    {
        var chunks = new List<string>();
        using var capture = new StreamCapture("stdout", (_, text) => { lock (chunks) chunks.Add(text); });
        var text = new string('a', StreamCapture.MaxChunkChars - 1) + "🎵";
        WriteChars(capture, text); // the high surrogate is the 64 K-th character
        capture.Flush();
        lock (chunks)
        {
            Assert.Equal([StreamCapture.MaxChunkChars - 1, 2], chunks.Select(c => c.Length));
            Assert.Equal("🎵", chunks[1]);
        }
    }

    [Fact]
    public void A_timer_flush_between_the_halves_of_a_character_keeps_them_together()
    {
        var chunks = new List<string>();
        using var capture = new StreamCapture("stdout", (_, text) => { lock (chunks) chunks.Add(text); });
        WriteChars(capture, "é\uD83C");
        // The timer runs on the thread pool, which may be slow to start a thread on a busy machine: wait for it.
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            lock (chunks) if (chunks.Count > 0) break;
            Thread.Sleep(10);
        }
        Thread.Sleep(StreamCapture.FlushInterval * 2); // later ticks must not send the held-back half either
        lock (chunks) Assert.Equal(["é"], chunks);
        capture.Write('\uDFB5');
        capture.Flush();
        lock (chunks) Assert.Equal(["é", "🎵"], chunks);
    }

    [Fact]
    public void An_explicit_flush_sends_everything_even_half_a_character()
    {
        var chunks = new List<string>();
        using var capture = new StreamCapture("stderr", (_, text) => { lock (chunks) chunks.Add(text); });
        capture.Write('\uD83C');
        capture.Flush(); // the end of a cell: nothing may be left for the next one
        lock (chunks) Assert.Equal(["\uD83C"], chunks);
    }
}
