using System.Buffers.Binary;

namespace HarmoniousFeedback.Tests.Audio;

/// <summary>Test-only RIFF/WAVE assembler: explicit chunks, optional lies in the RIFF and data sizes.</summary>
internal static class RiffBuilder
{
    /// <summary>A 16-byte PCM/float 'fmt ' body.</summary>
    public static byte[] Fmt(int tag, int channels, int rate, int bits)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)(rate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    /// <summary>
    /// RIFF file from chunks (id, body); odd bodies get a pad byte. <paramref name="riffSize"/> and
    /// <paramref name="dataSize"/> override the true sizes written in the headers.
    /// </summary>
    public static byte[] Wave(IEnumerable<(string Id, byte[] Body)> chunks, uint? riffSize = null, uint? dataSize = null)
    {
        var o = new List<byte>();
        o.AddRange("RIFF"u8.ToArray());
        o.AddRange(new byte[4]);
        o.AddRange("WAVE"u8.ToArray());
        foreach (var (id, body) in chunks)
        {
            o.AddRange(System.Text.Encoding.ASCII.GetBytes(id));
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, id == "data" && dataSize is { } ds ? ds : (uint)body.Length);
            o.AddRange(size);
            o.AddRange(body);
            if ((body.Length & 1) == 1) o.Add(0);
        }
        var bytes = o.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), riffSize ?? (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Int16Le(params short[] v)
    {
        var b = new byte[v.Length * 2];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), v[i]);
        return b;
    }
}
