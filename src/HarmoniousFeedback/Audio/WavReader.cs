using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace HarmoniousFeedback.Audio;

/// <summary>
/// RIFF/WAVE reader: PCM 8/16/24/32-bit, IEEE float 32/64, plain <c>WAVE_FORMAT_PCM</c>/<c>IEEE_FLOAT</c> and
/// <c>WAVE_FORMAT_EXTENSIBLE</c> (sub-format GUID), any channel count. Unknown chunks are skipped, odd-sized chunks
/// honour the RIFF pad byte. Returns the file's own sample rate (never resamples).
/// Scaling: integer PCM is divided by 2^(bits−1) (so int16 s → s/32768, as torchaudio/soundfile do), 8-bit is
/// unsigned with offset 128. Bad input (not RIFF/WAVE, truncated header, missing fmt/data, unsupported encoding,
/// data chunk claiming more bytes than the file has) raises <see cref="AudioFormatException"/> naming the file.
/// Float samples must be finite and within ±<see cref="MaxFloatSampleMagnitude"/> (2^24); NaN, ±Inf or larger values are an
/// <see cref="AudioFormatException"/> naming the first one, never silently passed on to feature extraction.
/// A RIFF size or data size of 0 or 0xFFFFFFFF (the placeholders streaming writers leave) means "to end of file" — except a
/// data size of 0 followed only by whole chunks (an empty recording with metadata after it), which is empty.
/// </summary>
public static class WavReader
{
    private const int WaveFormatPcm = 1;
    private const int WaveFormatIeeeFloat = 3;
    private const int WaveFormatExtensible = 0xFFFE;

    /// <summary>Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID {0000XXXX-0000-0010-8000-00AA00389B71} as stored.</summary>
    private static ReadOnlySpan<byte> KsDataFormatGuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Reads a WAV file. <paramref name="mono"/> downmixes by averaging channels (<see cref="AudioClip.ToMono"/>).</summary>
    public static AudioClip Read(string path, bool mono = false)
    {
        var clip = Read(ReadAllBytes(path), path);
        return mono ? clip.AsMono() : clip;
    }

    /// <summary>Reads WAV bytes; <paramref name="source"/> names the input in errors and in <see cref="AudioClip.Source"/>.</summary>
    public static AudioClip Read(ReadOnlySpan<byte> data, string source = "memory")
    {
        var (info, offset, length) = Parse(data, source);
        return Decode(data.Slice(offset, length), info, source);
    }

    /// <summary>Reads only the header: encoding, channels, rate and frame count.</summary>
    public static WavInfo ReadInfo(string path) => Parse(ReadAllBytes(path), path).Info;

    /// <summary>Reads header information from WAV bytes.</summary>
    public static WavInfo ReadInfo(ReadOnlySpan<byte> data, string source = "memory") => Parse(data, source).Info;

    internal static byte[] ReadAllBytes(string path)
        => IO.InputFile.ReadAllBytes(path, "an audio file", (problem, inner) => new AudioFormatException(path, problem, inner));

    /// <summary>
    /// False when a RIFF/WAVE file's 'fmt ' chunk names an encoding this reader does not decode (µ-law, A-law, ADPCM,
    /// PCM of other widths …), so a caller may hand it to a general decoder; true otherwise, including malformed
    /// files, whose precise error <see cref="Read(ReadOnlySpan{byte}, string)"/> reports.
    /// </summary>
    internal static bool HasNativeEncoding(ReadOnlySpan<byte> d)
    {
        if (d.Length < 12 || !d[..4].SequenceEqual("RIFF"u8) || !d.Slice(8, 4).SequenceEqual("WAVE"u8)) return true;
        int pos = 12;
        while (pos + 8 <= d.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(d.Slice(pos + 4, 4));
            int body = pos + 8;
            if (d.Slice(pos, 4).SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > d.Length - body) return true;
                var f = d.Slice(body, (int)size);
                int tag = BinaryPrimitives.ReadUInt16LittleEndian(f);
                int bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);
                if (tag == WaveFormatExtensible)
                {
                    if (f.Length < 40) return true;
                    if (!f.Slice(26, 14).SequenceEqual(KsDataFormatGuidTail)) return false;
                    tag = BinaryPrimitives.ReadUInt16LittleEndian(f[24..]);
                }
                return (tag, bits) is (WaveFormatPcm, 8 or 16 or 24 or 32) or (WaveFormatIeeeFloat, 32 or 64);
            }
            long next = (long)body + size + (size & 1);
            if (next > d.Length) return true;
            pos = (int)next;
        }
        return true;
    }

    private static (WavInfo Info, int DataOffset, int DataLength) Parse(ReadOnlySpan<byte> d, string source)
    {
        if (d.Length == 0) throw new AudioFormatException(source, "file is empty (0 bytes); expected a RIFF/WAVE file");
        if (d.Length < 12) throw new AudioFormatException(source, $"file is {d.Length} bytes, too short for a RIFF/WAVE header (12 bytes)");
        if (!d[..4].SequenceEqual("RIFF"u8))
        {
            if (d[..4].SequenceEqual("RIFX"u8)) throw new AudioFormatException(source, "big-endian RIFX WAV files are not supported");
            if (d[..4].SequenceEqual("RF64"u8)) throw new AudioFormatException(source, "RF64 WAV files are not supported");
            throw new AudioFormatException(source, "not a WAV file: missing 'RIFF' signature");
        }
        if (!d.Slice(8, 4).SequenceEqual("WAVE"u8)) throw new AudioFormatException(source, "RIFF file is not of form type 'WAVE'");

        int pos = 12;
        WavInfo? fmt = null;
        int blockAlign = 0;
        int dataOffset = -1, dataLength = 0;
        string cutOff = "";
        while (pos + 8 <= d.Length)
        {
            var id = d.Slice(pos, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(d.Slice(pos + 4, 4));
            int body = pos + 8;
            long remaining = d.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16) throw new AudioFormatException(source, $"'fmt ' chunk is {size} bytes; at least 16 are required");
                if (size > remaining) throw new AudioFormatException(source, $"'fmt ' chunk declares {size} bytes but only {remaining} remain (truncated file)");
                (fmt, blockAlign) = ParseFmt(d.Slice(body, (int)size), source);
            }
            else if (id.SequenceEqual("data"u8))
            {
                long len = size;
                if (size == 0xFFFFFFFF || (size == 0 && remaining > 0 && !IsChunkChain(d, body))) len = remaining; // streaming placeholder
                if (len > remaining)
                    throw new AudioFormatException(source, $"'data' chunk declares {size} bytes but only {remaining} remain (truncated file or a header that lies about its size)");
                dataOffset = body;
                dataLength = (int)len;
                if (fmt is not null) break; // everything needed is known
            }
            long next = (long)body + size + (size & 1); // chunks are word-aligned: odd sizes have a pad byte
            if (next > d.Length) // last chunk (not data/fmt) truncated: ignore what we cannot use
            {
                cutOff = CutOff(id, pos, size, remaining);
                break;
            }
            pos = (int)next;
        }
        if (fmt is null) throw new AudioFormatException(source, "no 'fmt ' chunk found" + cutOff);
        if (dataOffset < 0) throw new AudioFormatException(source, "no 'data' chunk found" + cutOff);
        int usable = dataLength - dataLength % blockAlign; // a trailing partial frame is dropped
        return (fmt with { Frames = usable / blockAlign }, dataOffset, usable);
    }

    private static (WavInfo, int) ParseFmt(ReadOnlySpan<byte> f, string source)
    {
        int tag = BinaryPrimitives.ReadUInt16LittleEndian(f);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(f[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(f[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(f[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);
        bool extensible = false;
        if (tag == WaveFormatExtensible)
        {
            if (f.Length < 40) throw new AudioFormatException(source, $"WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {f.Length} bytes; 40 are required");
            int validBits = BinaryPrimitives.ReadUInt16LittleEndian(f[18..]);
            if (validBits != 0 && validBits > bits)
                throw new AudioFormatException(source, $"valid bits per sample {validBits} exceed container size {bits}");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(f[24..]); // first two bytes of the sub-format GUID
            if (!f.Slice(26, 14).SequenceEqual(KsDataFormatGuidTail))
                throw new AudioFormatException(source, "WAVE_FORMAT_EXTENSIBLE sub-format GUID is not a KSDATAFORMAT_SUBTYPE (PCM or IEEE float)");
            extensible = true;
        }
        if (channels <= 0) throw new AudioFormatException(source, "header declares 0 channels");
        if (rate == 0 || rate > 10_000_000) throw new AudioFormatException(source, $"sample rate {rate} Hz is not plausible (allowed 1 .. 10,000,000)");
        WavEncoding enc = (tag, bits) switch
        {
            (WaveFormatPcm, 8) => WavEncoding.Pcm8,
            (WaveFormatPcm, 16) => WavEncoding.Pcm16,
            (WaveFormatPcm, 24) => WavEncoding.Pcm24,
            (WaveFormatPcm, 32) => WavEncoding.Pcm32,
            (WaveFormatIeeeFloat, 32) => WavEncoding.Float32,
            (WaveFormatIeeeFloat, 64) => WavEncoding.Float64,
            (WaveFormatPcm, _) => throw new AudioFormatException(source, $"PCM with {bits} bits per sample is not supported (allowed: 8, 16, 24, 32)"),
            (WaveFormatIeeeFloat, _) => throw new AudioFormatException(source, $"IEEE float with {bits} bits per sample is not supported (allowed: 32, 64)"),
            _ => throw new AudioFormatException(source, $"unsupported WAV format tag 0x{tag:X4} (allowed: PCM 0x0001, IEEE float 0x0003, extensible 0xFFFE with one of those)"),
        };
        var info = new WavInfo(enc, channels, (int)rate, 0, extensible);
        int expectedAlign = info.BytesPerSample * channels;
        if (blockAlign != expectedAlign)
            throw new AudioFormatException(source, $"block align {blockAlign} does not match {channels} channels × {info.BytesPerSample} bytes = {expectedAlign}");
        return (info, blockAlign);
    }

    private static AudioClip Decode(ReadOnlySpan<byte> data, WavInfo info, string source)
    {
        int ch = info.Channels;
        int frames = checked((int)info.Frames);
        var outp = new float[ch][];
        for (int c = 0; c < ch; c++) outp[c] = new float[frames];
        DecodeInto(data, info, frames, outp);
        CheckFloatSamples(outp, frames, info, source, 0);
        return new AudioClip(outp, info.SampleRate, source);
    }

    /// <summary>
    /// Largest magnitude accepted from a float WAV: 2^24. Float audio is nominally within ±1 and some tools write
    /// integer-scaled floats (±32768, ±2^23); anything larger is not audio, and squaring it in a power spectrum would
    /// overflow float32 to infinity.
    /// </summary>
    public const float MaxFloatSampleMagnitude = 16_777_216f;

    /// <summary>
    /// For float encodings: every sample of <c>outp[c][0 .. frames − 1]</c> must be finite and within
    /// ±<see cref="MaxFloatSampleMagnitude"/> (a float64 beyond float32's range is already ±∞ here), else an
    /// <see cref="AudioFormatException"/> naming the first bad sample (frame <paramref name="firstFrame"/> + n, channel, time).
    /// One vectorised pass per channel; integer encodings cannot hold such values and are not scanned.
    /// </summary>
    internal static void CheckFloatSamples(float[][] outp, int frames, WavInfo info, string source, long firstFrame)
    {
        if (info.Encoding is not (WavEncoding.Float32 or WavEncoding.Float64) || frames == 0) return;
        for (int c = 0; c < outp.Length; c++)
        {
            var x = outp[c].AsSpan(0, frames);
            float peak = Math.Abs(TensorPrimitives.MaxMagnitude(x)); // MaxMagnitude is signed; NaN when any sample is NaN
            if (peak <= MaxFloatSampleMagnitude) continue;
            int n = 0;
            while (n < frames && Math.Abs(x[n]) <= MaxFloatSampleMagnitude) n++;
            long frame = firstFrame + n;
            string what = float.IsNaN(x[n]) ? "NaN" : float.IsInfinity(x[n]) ? (x[n] > 0 ? "+Inf" : "-Inf") + (info.Encoding == WavEncoding.Float64 ? " (or beyond float32's range)" : "")
                : x[n].ToString("G9", System.Globalization.CultureInfo.InvariantCulture);
            throw new AudioFormatException(source,
                $"float sample {frame.ToString(System.Globalization.CultureInfo.InvariantCulture)} of channel {c} " +
                $"(at {(frame / (double)info.SampleRate).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)} s) is {what}; " +
                $"float WAV samples must be finite numbers within ±{MaxFloatSampleMagnitude.ToString(System.Globalization.CultureInfo.InvariantCulture)} (nominally −1 .. 1)");
        }
    }

    /// <summary>
    /// Decodes <paramref name="frames"/> whole frames of sample data (<paramref name="data"/> starts at a frame) into
    /// <c>outp[c][0 .. frames − 1]</c>, with the scaling of <see cref="Read(ReadOnlySpan{byte}, string)"/>; used by the whole-file
    /// reader and, block by block, by <see cref="AudioStreamReader"/> (the per-sample arithmetic is the same, so a streamed file
    /// decodes to the same floats).
    /// </summary>
    internal static void DecodeInto(ReadOnlySpan<byte> data, WavInfo info, int frames, float[][] outp)
    {
        int ch = info.Channels;
        int bps = info.BytesPerSample;
        int stride = bps * ch;
        switch (info.Encoding)
        {
            case WavEncoding.Pcm8:
                for (int n = 0; n < frames; n++)
                    for (int c = 0; c < ch; c++) outp[c][n] = (data[n * stride + c] - 128) / 128f;
                break;
            case WavEncoding.Pcm16 when ch == 1 && BitConverter.IsLittleEndian:
                // Fast path: the mono int16 samples are the data bytes themselves; s/32768 is exact in float32.
                TensorPrimitives.ConvertTruncating<short, float>(MemoryMarshal.Cast<byte, short>(data[..(2 * frames)]), outp[0].AsSpan(0, frames));
                TensorPrimitives.Multiply(outp[0].AsSpan(0, frames), 1f / 32768f, outp[0].AsSpan(0, frames));
                break;
            case WavEncoding.Pcm16:
                for (int n = 0; n < frames; n++)
                    for (int c = 0; c < ch; c++)
                        outp[c][n] = BinaryPrimitives.ReadInt16LittleEndian(data.Slice(n * stride + c * 2, 2)) / 32768f;
                break;
            case WavEncoding.Pcm24:
                for (int n = 0; n < frames; n++)
                    for (int c = 0; c < ch; c++)
                    {
                        int o = n * stride + c * 3;
                        int v = (data[o] | (data[o + 1] << 8) | (data[o + 2] << 16)) << 8 >> 8; // sign-extend
                        outp[c][n] = v / 8388608f;
                    }
                break;
            case WavEncoding.Pcm32:
                for (int n = 0; n < frames; n++)
                    for (int c = 0; c < ch; c++)
                        outp[c][n] = (float)(BinaryPrimitives.ReadInt32LittleEndian(data.Slice(n * stride + c * 4, 4)) / 2147483648.0);
                break;
            case WavEncoding.Float32 when ch == 1 && BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(data[..(4 * frames)]).CopyTo(outp[0]);
                break;
            case WavEncoding.Float32:
                for (int n = 0; n < frames; n++)
                    for (int c = 0; c < ch; c++)
                        outp[c][n] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(n * stride + c * 4, 4));
                break;
            case WavEncoding.Float64:
                for (int n = 0; n < frames; n++)
                    for (int c = 0; c < ch; c++)
                        outp[c][n] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(n * stride + c * 8, 8));
                break;
        }
    }

    /// <summary>
    /// Reads a RIFF/WAVE header from <paramref name="stream"/> up to the start of the sample data, with the checks and messages
    /// of <see cref="Read(ReadOnlySpan{byte}, string)"/>. Returns the format and the data length in bytes (whole frames), or
    /// null for "to the end of the stream" (the size placeholders of a streaming writer). A seekable stream may hold the
    /// 'data' chunk before 'fmt ' and its declared sizes are checked against the file length; a pipe must give 'fmt ' first.
    /// On return the stream is positioned at the first sample byte.
    /// </summary>
    internal static (WavInfo Info, long? DataBytes) ReadHeader(Stream stream, string source)
    {
        bool seekable = stream.CanSeek;
        Span<byte> head = stackalloc byte[12];
        int got = stream.ReadAtLeast(head, 12, throwOnEndOfStream: false);
        if (got == 0) throw new AudioFormatException(source, "file is empty (0 bytes); expected a RIFF/WAVE file");
        if (got < 12) throw new AudioFormatException(source, $"file is {got} bytes, too short for a RIFF/WAVE header (12 bytes)");
        if (!head[..4].SequenceEqual("RIFF"u8))
        {
            if (head[..4].SequenceEqual("RIFX"u8)) throw new AudioFormatException(source, "big-endian RIFX WAV files are not supported");
            if (head[..4].SequenceEqual("RF64"u8)) throw new AudioFormatException(source, "RF64 WAV files are not supported");
            throw new AudioFormatException(source, "not a WAV file: missing 'RIFF' signature");
        }
        if (!head[8..].SequenceEqual("WAVE"u8)) throw new AudioFormatException(source, "RIFF file is not of form type 'WAVE'");

        WavInfo? fmt = null;
        int blockAlign = 0;
        long dataStart = -1;
        long? dataBytes = null;
        bool dataFound = false;
        string cutOff = "";
        Span<byte> ch = stackalloc byte[8];
        while (true)
        {
            if (stream.ReadAtLeast(ch, 8, throwOnEndOfStream: false) < 8) break;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(ch[4..]);
            long remaining = seekable ? stream.Length - stream.Position : long.MaxValue;
            if (ch[..4].SequenceEqual("fmt "u8))
            {
                if (size < 16) throw new AudioFormatException(source, $"'fmt ' chunk is {size} bytes; at least 16 are required");
                if (size > remaining) throw new AudioFormatException(source, $"'fmt ' chunk declares {size} bytes but only {remaining} remain (truncated file)");
                var body = new byte[size];
                int n = stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
                if (n < body.Length) throw new AudioFormatException(source, $"'fmt ' chunk declares {size} bytes but only {n} remain (truncated file)");
                (fmt, blockAlign) = ParseFmt(body, source);
                if ((size & 1) == 1) Skip(stream, 1);
                if (dataStart >= 0) { stream.Position = dataStart; break; }
                continue;
            }
            if (ch[..4].SequenceEqual("data"u8))
            {
                bool toEnd = size == 0xFFFFFFFF || (size == 0 && (!seekable || (remaining > 0 && !IsChunkChain(stream)))); // streaming placeholder
                if (!toEnd && size > remaining)
                    throw new AudioFormatException(source, $"'data' chunk declares {size} bytes but only {remaining} remain (truncated file or a header that lies about its size)");
                dataBytes = toEnd ? (seekable ? remaining : null) : size;
                dataFound = true;
                if (fmt is not null) break;
                if (!seekable) throw new AudioFormatException(source, "the 'data' chunk comes before the 'fmt ' chunk, which a stream cannot seek back to");
                dataStart = stream.Position;
                if (toEnd) break; // nothing after "to the end" can be the missing 'fmt '
                Skip(stream, size + (size & 1));
                continue;
            }
            if (seekable && size + (size & 1) > remaining) // last chunk (not data/fmt) truncated: ignore what we cannot use
            {
                cutOff = CutOff(ch[..4], stream.Position - 8, size, remaining);
                break;
            }
            Skip(stream, size + (size & 1));
        }
        if (fmt is null) throw new AudioFormatException(source, "no 'fmt ' chunk found" + cutOff);
        if (!dataFound) throw new AudioFormatException(source, "no 'data' chunk found" + cutOff);
        if (dataBytes is long len)
        {
            long usable = len - len % blockAlign; // a trailing partial frame is dropped
            return (fmt with { Frames = usable / blockAlign }, usable);
        }
        return (fmt, null);
    }

    /// <summary>
    /// True when the bytes from <paramref name="pos"/> to the end are whole RIFF chunks: each an id of four printable ASCII
    /// characters and a size that fits, the last ending at the end of the file (its pad byte may be missing). After a 'data'
    /// chunk of size 0 this tells an empty 'data' chunk followed by metadata (LIST, id3, …) from a streaming writer's
    /// "size unknown" placeholder followed by samples, which are not read as audio.
    /// </summary>
    private static bool IsChunkChain(ReadOnlySpan<byte> d, int pos)
    {
        long p = pos;
        while (p + 8 <= d.Length)
        {
            var header = d.Slice((int)p, 8);
            if (!IsChunkId(header[..4])) return false;
            long size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            p += 8 + size;
            if (p > d.Length) return false;
            if (p < d.Length && (size & 1) == 1) p++;
        }
        return p == d.Length && p > pos;
    }

    /// <summary><see cref="IsChunkChain(ReadOnlySpan{byte}, int)"/> from a seekable stream's position, which it leaves unchanged.</summary>
    private static bool IsChunkChain(Stream stream)
    {
        long start = stream.Position, length = stream.Length, p = start;
        Span<byte> header = stackalloc byte[8];
        try
        {
            while (p + 8 <= length)
            {
                stream.Position = p;
                stream.ReadExactly(header);
                if (!IsChunkId(header[..4])) return false;
                long size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
                p += 8 + size;
                if (p > length) return false;
                if (p < length && (size & 1) == 1) p++;
            }
            return p == length && p > start;
        }
        finally { stream.Position = start; }
    }

    /// <summary>Why the chunk walk stopped early, for the "no 'fmt '/'data' chunk found" messages.</summary>
    private static string CutOff(ReadOnlySpan<byte> id, long offset, uint size, long remaining)
    {
        Span<char> name = stackalloc char[4];
        for (int i = 0; i < 4; i++) name[i] = id[i] is >= 0x20 and <= 0x7E ? (char)id[i] : '?';
        return $" before chunk '{name}' at byte offset {offset}, which declares {size} bytes but only {remaining} remain (truncated file or a bad chunk size)";
    }

    private static bool IsChunkId(ReadOnlySpan<byte> id)
    {
        foreach (byte b in id)
            if (b is < 0x20 or > 0x7E) return false;
        return true;
    }

    private static void Skip(Stream stream, long bytes)
    {
        if (bytes <= 0) return;
        if (stream.CanSeek) { stream.Seek(bytes, SeekOrigin.Current); return; }
        var buf = new byte[Math.Min(bytes, 65536)];
        while (bytes > 0)
        {
            int n = stream.Read(buf, 0, (int)Math.Min(bytes, buf.Length));
            if (n == 0) return;
            bytes -= n;
        }
    }
}
