using System.Diagnostics;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Tests.Midi;
using Xunit;
using Xunit.Abstractions;
using T = HarmoniousFeedback.Tests.Midi.SmfBuilder.Track;

namespace HarmoniousFeedback.Tests.Audio;

/// <summary>
/// Fuzzing the readers with fixed seeds: 12,000 mutated WAV and 12,000 mutated MIDI files. Only the project's typed
/// exceptions (<see cref="HarmoniousFeedbackException"/> subtypes) may escape — never IndexOutOfRange,
/// ArgumentOutOfRange, Overflow, OutOfMemory or a hang — and each batch must finish within its time bound.
/// </summary>
public class ReaderFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 12_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10); // per reader; typically well under 1 s

    private static IEnumerable<byte[]> WavSeeds()
    {
        var rng = new Random(11);
        float[] Ch(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        yield return WavWriter.ToBytes(new AudioClip(Ch(40), 16000), WavEncoding.Pcm16);
        yield return WavWriter.ToBytes(new AudioClip([Ch(20), Ch(20)], 44100), WavEncoding.Pcm24);
        yield return WavWriter.ToBytes(new AudioClip(Enumerable.Range(0, 6).Select(_ => Ch(8)).ToArray(), 48000), WavEncoding.Float32);
        yield return WavWriter.ToBytes(new AudioClip(Ch(30), 8000), WavEncoding.Pcm8);
        yield return WavWriter.ToBytes(new AudioClip([Ch(10), Ch(10)], 22050), WavEncoding.Float64, extensible: true);
        yield return WavWriter.ToBytes(new AudioClip(Ch(10), 96000), WavEncoding.Pcm32, extensible: false);
        yield return RiffBuilder.Wave([("LIST", "INFOx"u8.ToArray()), ("fmt ", RiffBuilder.Fmt(1, 1, 8000, 16)), ("junk", [1, 2, 3]), ("data", RiffBuilder.Int16Le(1, 2, 3, 4))]);
    }

    private static IEnumerable<byte[]> MidiSeeds()
    {
        yield return new SmfBuilder(format: 0)
            .Add(new T().Tempo(0, 400_000).TimeSig(0, 3, 2).Name(0, "p").Sysex(0, 1, 2, 0xF7)
                .On(0, 0, 60, 100).On(10, 0, 64, 90, running: true).Cc(5, 0, 64, 127).Off(20, 0, 60).On(0, 0, 64, 0)
                .On(3, 0, 60, 70).Cc(40, 0, 64, 0).Off(4, 0, 60).Program(0, 1, 5).On(1, 1, 40, 33).End(7))
            .Build();
        yield return new SmfBuilder(format: 1)
            .Add(new T().Tempo(0, 500_000).Tempo(480, 250_000).End())
            .Add(new T().On(0, 2, 50, 60).Off(200, 2, 50).On(0, 2, 50, 61).Raw(300, 50, 0).End())
            .Add(new T().On(100, 3, 70, 20).Cc(0, 3, 64, 100).Off(10, 3, 70))
            .Build();
        yield return new SmfBuilder(format: 0, division: 0xE728).Add(new T().On(0, 0, 21, 1).Off(0x3FFF, 0, 21).End()).Build();
    }

    private void Fuzz(string what, byte[][] seeds, Func<byte[], object> read, string[] chunkIds, bool bigEndian, int seed)
    {
        var mutator = new Mutator(seed, chunkIds, bigEndian);
        var rng = new Random(seed + 1);
        int typed = 0, ok = 0;
        var sw = Stopwatch.StartNew();
        for (int it = 0; it < Iterations; it++)
        {
            var input = mutator.Mutate(seeds[rng.Next(seeds.Length)]);
            try
            {
                read(input);
                ok++;
            }
            catch (HarmoniousFeedbackException)
            {
                typed++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{what} fuzz iteration {it} (seed {seed}): {e.GetType().Name} escaped: {e.Message}\ninput: {Convert.ToHexString(input)}");
            }
            if (sw.Elapsed > Bound) Assert.Fail($"{what} fuzz exceeded {Bound.TotalSeconds} s after {it + 1} files");
        }
        output.WriteLine($"{what}: {Iterations} mutated files in {sw.Elapsed.TotalMilliseconds:F0} ms — {ok} read, {typed} typed errors");
        Assert.True(ok > 0 && typed > 0, "the mutations should produce both readable and rejected files");
    }

    [Fact]
    public void Mutated_wav_files_raise_only_typed_errors()
        => Fuzz("WAV", WavSeeds().ToArray(), b => { WavReader.HasNativeEncoding(b); return WavReader.Read(b, "fuzz.wav"); }, ["RIFF", "fmt ", "data", "LIST", "junk"], bigEndian: false, seed: 20261121);

    [Fact]
    public void Mutated_midi_files_raise_only_typed_errors()
        => Fuzz("MIDI", MidiSeeds().ToArray(), b => MidiReader.Read(b, "fuzz.mid"), ["MThd", "MTrk"], bigEndian: true, seed: 20261122);

    [Fact]
    public void Absurd_frame_count_is_rejected_before_allocating()
    {
        // A header claiming 0xFFFFFFF0 bytes (2^30 stereo 16-bit frames) of data in a 60-byte file.
        var bytes = RiffBuilder.Wave([("fmt ", RiffBuilder.Fmt(1, 2, 44100, 16)), ("data", new byte[16])], dataSize: 0xFFFFFFF0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<AudioFormatException>(() => WavReader.Read(bytes));
        Assert.Contains("declares 4294967280 bytes", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the reader allocated for the claimed size");
    }

    [Fact]
    public void Absurd_midi_lengths_are_rejected_before_allocating()
    {
        var bytes = new SmfBuilder(format: 0).Add(new T().Raw(0, 0xF0, 0xFF, 0xFF, 0xFF, 0x7F)).Build(); // sysex of 2^28 − 1 bytes
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("sysex event declares 268435455 bytes", Assert.Throws<MidiFormatException>(() => MidiReader.Read(bytes)).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }
}
