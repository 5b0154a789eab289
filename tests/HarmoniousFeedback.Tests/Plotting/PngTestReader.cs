using System.Buffers.Binary;
using System.IO.Compression;
using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

/// <summary>
/// An independent minimal PNG decoder for tests: checks the signature, every chunk CRC (recomputed with a bitwise
/// CRC-32, not the encoder's table), IHDR fields, inflates the IDAT stream and undoes all five scanline filters.
/// </summary>
internal static class PngTestReader
{
    public sealed record Image(int Width, int Height, int Channels, byte[] Pixels, List<string> ChunkTypes);

    public static Image Decode(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        int pos = 8, width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            Assert.Equal(BitwiseCrc(png.AsSpan(pos + 4, 4 + len)), crc);
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 2 => 3, 6 => 4, _ => throw new Xunit.Sdk.XunitException($"colour type {data[9]}") };
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            pos += 12 + len;
        }
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var r = raw.ToArray();
        int stride = width * channels;
        Assert.Equal(height * (stride + 1), r.Length);
        var px = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int f = r[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= channels ? px[y * stride + x - channels] : 0;
                int b = y > 0 ? px[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
                int v = r[y * (stride + 1) + 1 + x];
                int pred = f switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new Xunit.Sdk.XunitException($"filter {f}"),
                };
                px[y * stride + x] = (byte)(v + pred);
            }
        }
        return new Image(width, height, channels, px, types);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
        }
        return ~c;
    }
}
