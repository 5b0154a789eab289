using System.Buffers.Binary;
using System.IO.Compression;

namespace HarmoniousFeedback.Plotting;

/// <summary>
/// A minimal PNG writer (PNG spec, ISO/IEC 15948 / W3C PNG 2nd ed.): signature, IHDR (8-bit, RGB or RGBA, no
/// interlace), one IDAT holding the zlib stream (RFC 1950, <see cref="ZLibStream"/>) of the scanlines, each prefixed
/// with filter type 0 (None), and IEND; every chunk carries the CRC-32 of its type and data (<see cref="Crc32"/>).
/// </summary>
public static class PngEncoder
{
    /// <summary>The 8-byte PNG file signature.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes row-major pixels (top row first) as PNG.</summary>
    /// <param name="pixels">width × height × channels bytes (3 for RGB, 4 for RGBA).</param>
    /// <param name="width">Width in pixels, 1..2³¹−1.</param>
    /// <param name="height">Height in pixels, 1..2³¹−1.</param>
    /// <param name="colorType">RGB or RGBA.</param>
    /// <exception cref="FigureException">non-positive size or a pixel buffer of the wrong length.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType = PngColorType.Rgba)
    {
        int channels = colorType switch
        {
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new FigureException($"colorType = {colorType} is not supported; allowed: Rgb, Rgba"),
        };
        if (width <= 0 || height <= 0) throw new FigureException($"PNG size {width} × {height} must be positive");
        long expected = (long)width * height * channels;
        if (pixels.Length != expected)
            throw new FigureException($"pixel buffer has {pixels.Length} bytes but {width} × {height} × {channels} ({colorType}) needs {expected}");

        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                 // bit depth
        ihdr[9] = (byte)colorType;   // colour type
        ihdr[10] = 0;                // compression: deflate
        ihdr[11] = 0;                // filter method 0
        ihdr[12] = 0;                // no interlace
        WriteChunk(png, "IHDR"u8, ihdr);

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            int stride = width * channels;
            for (int y = 0; y < height; y++)
            {
                z.WriteByte(0); // filter type None
                z.Write(pixels.Slice(y * stride, stride));
            }
        }
        WriteChunk(png, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(png, "IEND"u8, ReadOnlySpan<byte>.Empty);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        s.Write(type);
        s.Write(data);
        uint crc = Crc32.Append(Crc32.Append(Crc32.Initial, type), data);
        BinaryPrimitives.WriteUInt32BigEndian(buf, Crc32.Finish(crc));
        s.Write(buf);
    }
}
