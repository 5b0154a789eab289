using System.Security.Cryptography;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Midi.Rendering;

/// <summary>
/// Content-addressed on-disk cache of rendered audio. An entry's key is
/// <c>SHA-256( hex(SHA-256(MIDI bytes)) + "\n" + renderer.CacheKey )</c>, so it changes when either the MIDI content or
/// anything about the renderer (name, version, options, SoundFont) changes. For synthetic scores the MIDI bytes are
/// <see cref="MidiWriter.ToBytes"/> of the score, a canonical serialisation. Entries are WAV files
/// <c>&lt;dir&gt;/&lt;key[0..2]&gt;/&lt;key&gt;.wav</c> (16-bit PCM by default) written atomically (temporary file, then rename), so
/// concurrent writers and interrupted runs never leave a partial entry. A hit reads the file and renders nothing.
/// </summary>
public sealed class RenderCache
{
    public string Directory { get; }
    public WavEncoding Encoding { get; }

    public RenderCache(string directory, WavEncoding encoding = WavEncoding.Pcm16)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        Encoding = encoding;
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The cache key of rendering MIDI whose SHA-256 is <paramref name="midiSha256"/> with <paramref name="renderer"/>.</summary>
    public static string Key(string midiSha256, IMidiRenderer renderer)
        => Sha256Hex(System.Text.Encoding.UTF8.GetBytes(midiSha256 + "\n" + renderer.CacheKey));

    /// <summary>Path of the entry for <paramref name="key"/> (it may not exist).</summary>
    public string PathFor(string key) => Path.Combine(Directory, key[..2], key + ".wav");

    public bool Contains(string key) => File.Exists(PathFor(key));

    /// <summary>Stores <paramref name="clip"/> under <paramref name="key"/> atomically; returns the entry's path.</summary>
    public string Put(string key, AudioClip clip)
    {
        var path = PathFor(key);
        WavWriter.Write(path, clip, Encoding);
        return path;
    }

    /// <summary>
    /// The entry for <paramref name="midiBytes"/> rendered by <paramref name="renderer"/>: when cached, its path and
    /// <paramref name="rendered"/> = false (no rendering); otherwise renders <paramref name="score"/>() (a callback so a
    /// hit does not even parse the MIDI), stores it and returns its path with <paramref name="rendered"/> = true.
    /// </summary>
    public string GetOrRender(IMidiRenderer renderer, byte[] midiBytes, Func<MidiScore> score, out bool rendered)
    {
        var key = Key(Sha256Hex(midiBytes), renderer);
        var path = PathFor(key);
        if (File.Exists(path)) { rendered = false; return path; }
        var clip = renderer.Render(score(), midiBytes);
        rendered = true;
        return Put(key, clip);
    }
}
