using System.Buffers.Binary;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Audio;

/// <summary>
/// RIFF/WAVE writer. Integer encodings quantise with round-half-away-from-zero of <c>x·2^(bits−1)</c>, clamped to the
/// format's range (so a value read by <see cref="WavReader"/> is written back to the same integer). Files with more
/// than two channels or more than 16 bits use <c>WAVE_FORMAT_EXTENSIBLE</c> by default, as the format's
/// specification recommends. Writes go to a temporary file that is renamed into place (atomic). Float encodings
/// store the float32 sample values unchanged (Float64 widens exactly), so NaN/Inf pass through (and <see cref="WavReader"/>
/// refuses such a file, as it refuses magnitudes beyond <see cref="WavReader.MaxFloatSampleMagnitude"/>); integer encodings
/// map NaN to 0 and clamp ±Inf.
/// </summary>
public static class WavWriter
{
    public static void Write(string path, AudioClip clip, WavEncoding encoding = WavEncoding.Pcm16, bool? extensible = null)
    {
        AtomicFile.WriteAllBytes(path, ToBytes(clip, encoding, extensible));
    }

    public static byte[] ToBytes(AudioClip clip, WavEncoding encoding = WavEncoding.Pcm16, bool? extensible = null)
    {
        int ch = clip.ChannelCount, frames = clip.Length;
        var info = new WavInfo(encoding, ch, clip.SampleRate, frames, false);
        int bps = info.BytesPerSample;
        bool ext = extensible ?? (ch > 2 || info.BitsPerSample > 16);
        int fmtSize = ext ? 40 : 16;
        if ((long)ch * bps > ushort.MaxValue)
            throw new AudioFormatException(clip.Source, $"{ch} channels × {bps} bytes per sample = {(long)ch * bps} bytes per frame exceed the WAV limit of 65535");
        long byteRate = (long)clip.SampleRate * ch * bps;
        if (byteRate > uint.MaxValue)
            throw new AudioFormatException(clip.Source, $"byte rate {byteRate} ({clip.SampleRate} Hz × {ch} channels × {bps} bytes) exceeds the WAV limit of {uint.MaxValue}");
        long dataBytes = (long)frames * ch * bps;
        long total = 12 + 8 + fmtSize + 8 + dataBytes + (dataBytes & 1);
        if (total > uint.MaxValue) throw new AudioFormatException(clip.Source, $"{dataBytes} bytes of audio exceed the 4 GiB WAV limit");
        var b = new byte[total];
        var s = b.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(total - 8));
        "WAVE"u8.CopyTo(s[8..]);
        "fmt "u8.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)fmtSize);
        int tag = info.IsFloat ? 3 : 1;
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], (ushort)(ext ? 0xFFFE : tag));
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)ch);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)clip.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)byteRate);
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)(ch * bps));
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)(bps * 8));
        int p = 36;
        if (ext)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s[36..], 22); // cbSize
            BinaryPrimitives.WriteUInt16LittleEndian(s[38..], (ushort)(bps * 8)); // valid bits
            uint mask = ch <= 18 ? (uint)((1L << ch) - 1) : 0; // speaker positions in order, none beyond 18
            BinaryPrimitives.WriteUInt32LittleEndian(s[40..], mask);
            // KSDATAFORMAT_SUBTYPE_{PCM,IEEE_FLOAT}: {0000000X-0000-0010-8000-00AA00389B71}
            BinaryPrimitives.WriteUInt16LittleEndian(s[44..], (ushort)tag);
            ReadOnlySpan<byte> tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            tail.CopyTo(s[46..]);
            p = 60;
        }
        "data"u8.CopyTo(s[p..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 4)..], (uint)dataBytes);
        var d = s.Slice(p + 8, (int)dataBytes);
        int stride = ch * bps;
        for (int c = 0; c < ch; c++)
        {
            var x = clip.Channels[c];
            for (int n = 0; n < frames; n++)
            {
                var o = d.Slice(n * stride + c * bps, bps);
                float v = x[n];
                switch (encoding)
                {
                    case WavEncoding.Pcm8: o[0] = (byte)(Quantize(v, 128.0, -128, 127) + 128); break;
                    case WavEncoding.Pcm16: BinaryPrimitives.WriteInt16LittleEndian(o, (short)Quantize(v, 32768.0, short.MinValue, short.MaxValue)); break;
                    case WavEncoding.Pcm24:
                    {
                        int q = (int)Quantize(v, 8388608.0, -8388608, 8388607);
                        o[0] = (byte)q; o[1] = (byte)(q >> 8); o[2] = (byte)(q >> 16);
                        break;
                    }
                    case WavEncoding.Pcm32: BinaryPrimitives.WriteInt32LittleEndian(o, (int)Quantize(v, 2147483648.0, int.MinValue, int.MaxValue)); break;
                    case WavEncoding.Float32: BinaryPrimitives.WriteSingleLittleEndian(o, v); break;
                    case WavEncoding.Float64: BinaryPrimitives.WriteDoubleLittleEndian(o, v); break;
                }
            }
        }
        return b;
    }

    private static long Quantize(float v, double scale, long min, long max)
    {
        if (float.IsNaN(v)) return 0;
        double q = Math.Round(v * scale, MidpointRounding.AwayFromZero);
        return q < min ? min : q > max ? max : (long)q;
    }
}
