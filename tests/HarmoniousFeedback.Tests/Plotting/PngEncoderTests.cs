using HarmoniousFeedback.Plotting;
using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

public class PngEncoderTests
{
    [Fact]
    public void Crc32_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8)); // the CRC-32/ISO-HDLC check value
        Assert.Equal(0u, Crc32.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData(PngColorType.Rgb, 3)]
    [InlineData(PngColorType.Rgba, 4)]
    public void Round_trip_through_an_independent_decoder(PngColorType type, int channels)
    {
        int w = 37, h = 11;
        var px = new byte[w * h * channels];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(i * 31 + i / 7);
        var png = PngEncoder.Encode(px, w, h, type);
        var img = PngTestReader.Decode(png);
        Assert.Equal((w, h, channels), (img.Width, img.Height, img.Channels));
        Assert.Equal(px, img.Pixels);
        Assert.Equal(["IHDR", "IDAT", "IEND"], img.ChunkTypes);
    }

    [Fact]
    public void Wrong_buffer_size_is_a_typed_error()
    {
        var e = Assert.Throws<FigureException>(() => PngEncoder.Encode(new byte[10], 2, 2, PngColorType.Rgb));
        Assert.Contains("needs 12", e.Message);
        Assert.Throws<FigureException>(() => PngEncoder.Encode(Array.Empty<byte>(), 0, 1));
    }

    [Fact]
    public void Heatmap_png_maps_values_with_viridis_and_respects_origin()
    {
        var h = new HeatmapSeries(new double[,] { { 0, 1 }, { 1, 0 }, { 0.5, 0.5 } }) { Origin = HeatmapOrigin.Bottom };
        var img = PngTestReader.Decode(h.ToPng(scale: 2));
        Assert.Equal((4, 6), (img.Width, img.Height));
        // origin bottom: value row 0 is the last two pixel rows; (row 0, col 0) = 0 → viridis(0) = #440154
        int o = (5 * 4 + 0) * 3;
        Assert.Equal(new byte[] { 0x44, 0x01, 0x54 }, img.Pixels[o..(o + 3)]);
        int o2 = (5 * 4 + 2) * 3; // (row 0, col 1) = 1 → #fde725
        Assert.Equal(new byte[] { 0xfd, 0xe7, 0x25 }, img.Pixels[o2..(o2 + 3)]);
    }
}
