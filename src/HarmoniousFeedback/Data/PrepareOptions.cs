using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Data;

/// <summary>Options of <see cref="DatasetPreparer"/>.</summary>
public sealed record PrepareOptions
{
    /// <summary>The prepared folder: <c>manifest.json</c>, <c>audio/&lt;id&gt;.wav</c>, <c>midi/&lt;id&gt;.mid</c> (generated scores).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Render cache folder (see <see cref="RenderCache"/>); null = <c>&lt;OutputDirectory&gt;/cache/render</c>. Share one across folders to reuse renders.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Clips processed in parallel (1 – 256). Default: the processor count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Encoding of rendered audio in the cache and the audio folder. Default 16-bit PCM.</summary>
    public WavEncoding AudioEncoding { get; init; } = WavEncoding.Pcm16;

    /// <summary>
    /// Sample rate (Hz, 8000 – 192000) every audio source clip is brought to: a clip at another rate is decoded and
    /// resampled with <see cref="Resampler"/> (torchaudio <c>sinc_interp_hann</c> defaults) and written in
    /// <see cref="AudioEncoding"/>. Null (default) keeps each clip's own rate. Rendered MIDI clips take the renderer's rate.
    /// An experiment spec's <c>dataset.sampleRate</c> sets this, so a folder of 44.1/48 kHz recordings is prepared at the
    /// rate its features expect.
    /// </summary>
    public int? SampleRate { get; init; }

    /// <summary>Parses MIDI bytes (and the file's path, for messages) into a score for renderers that need one. Default <see cref="MidiReader.Read(ReadOnlySpan{byte}, string)"/>.</summary>
    public Func<byte[], string, MidiScore>? MidiParser { get; init; }

    public void Validate()
    {
        var v = new OptionsValidator(nameof(PrepareOptions));
        v.Check(!string.IsNullOrWhiteSpace(OutputDirectory), $"{nameof(OutputDirectory)} must name a folder");
        v.InRange(nameof(Threads), Threads, 1, 256);
        if (SampleRate is int rate) v.InRange(nameof(SampleRate), rate, 8000, 192000);
        v.ThrowIfAny();
    }
}
