using System.IO.Pipes;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.IO;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Tests.Audio;
using HarmoniousFeedback.Tests.Midi;
using Xunit;

namespace HarmoniousFeedback.Tests.IO;

public class InputFileTests
{
    private static MidiFormatException Error(string path, string problem, Exception? inner) => new(path, problem, inner);

    [Fact]
    public void Regular_files_are_read_whole_and_folders_and_missing_files_are_the_callers_typed_error()
    {
        var dir = TestPaths.TempDir("input-file");
        var path = Path.Combine(dir, "ü score 1.mid");
        var data = Enumerable.Range(0, 100_003).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, data);
        Assert.Equal(data, InputFile.ReadAllBytes(path, "a MIDI file", (p, i) => Error(path, p, i)));
        Assert.Equal($"{dir}: is a folder, not a MIDI file",
            Assert.Throws<MidiFormatException>(() => InputFile.ReadAllBytes(dir, "a MIDI file", (p, i) => Error(dir, p, i))).Message);
        var gone = Path.Combine(dir, "gone.mid");
        var e = Assert.Throws<MidiFormatException>(() => InputFile.ReadAllBytes(gone, "a MIDI file", (p, i) => Error(gone, p, i)));
        Assert.Equal($"{gone}: file not found", e.Message);
        Assert.IsType<FileNotFoundException>(e.InnerException);
    }

    [UnixFact]
    public void Dev_zero_reads_as_empty_instead_of_filling_memory()
    {
        // Before: File.ReadAllBytes("/dev/zero") read until memory ran out and hfb died with "Out of memory." (exit 134).
        Assert.Empty(InputFile.ReadAllBytes("/dev/zero", "a MIDI file", (p, i) => Error("/dev/zero", p, i)));
        Assert.Equal("/dev/zero: file is empty (0 bytes); expected a Standard MIDI File starting with 'MThd'",
            Assert.Throws<MidiFormatException>(() => MidiReader.Read("/dev/zero")).Message);
        Assert.Equal("/dev/zero: file is empty (0 bytes); expected a RIFF/WAVE file",
            Assert.Throws<AudioFormatException>(() => WavReader.Read("/dev/zero")).Message);
        Assert.StartsWith("/dev/zero: file is empty (0 bytes); expected audio",
            Assert.Throws<AudioFormatException>(() => AudioFile.Read("/dev/zero")).Message);
    }

    [UnixFact]
    public void A_pipe_is_read_to_its_end_once()
    {
        // What a shell's <(…) passes: /dev/fd/N of a pipe, whose size is not its length.
        var midi = new SmfBuilder.Track().On(0, 0, 60, 100).Off(480, 0, 60).End();
        var bytes = new SmfBuilder(format: 0).Add(midi).Build();
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray(); // more than a pipe buffers (64 KiB)
        foreach (var content in new[] { data, bytes })
        {
            using var server = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
            var path = $"/dev/fd/{server.ClientSafePipeHandle.DangerousGetHandle()}";
            var writer = Task.Run(() => { server.Write(content); server.Dispose(); });
            if (content == data)
                Assert.Equal(data, InputFile.ReadAllBytes(path, "a MIDI file", (p, i) => Error(path, p, i)));
            else
                Assert.Equal(60, Assert.Single(MidiReader.Read(path).Notes).Pitch);
            writer.Wait();
        }
    }
}
