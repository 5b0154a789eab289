namespace HarmoniousFeedback.Plotting;

/// <summary>
/// CRC-32 as used by PNG, zlib's <c>crc32</c> and IEEE 802.3: reflected polynomial 0xEDB88320, initial value
/// 0xFFFFFFFF, final XOR 0xFFFFFFFF (check value of "123456789" = 0xCBF43926). Table-driven, one byte at a time.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Register value before any byte.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    /// <summary>Feeds bytes into a running register (start from <see cref="Initial"/>).</summary>
    public static uint Append(uint register, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) register = Table[(register ^ b) & 0xFF] ^ (register >> 8);
        return register;
    }

    /// <summary>The final CRC value of a running register.</summary>
    public static uint Finish(uint register) => register ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
