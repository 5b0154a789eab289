using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;

namespace HarmoniousFeedback.IO;

/// <summary>
/// The one checksummed container of the toolkit's binary files (model files <c>HFBMODEL</c>, training checkpoints
/// <c>HFBCKPT\0</c>): a format states its 8-byte magic and version, writes its payload, and gets back a verified payload.
/// </summary>
/// <remarks>
/// Layout (little-endian):
/// <code>
///   magic    8 bytes   identifies the format (e.g. "HFBMODEL")
///   version  u32       the format's own version number
///   payload  n bytes   the format's content; n = file length − 44 (the length is implied by the file size)
///   sha256   32 bytes  SHA-256 over magic ‖ version ‖ payload
/// </code>
/// The payload length is not stored: the checksum already covers truncation and appended bytes, and leaving it implicit
/// keeps every model file and checkpoint written before this container existed readable byte for byte (both formats
/// already had exactly this layout). Files are written through <see cref="AtomicFile"/>. Reading checks, in this
/// order, and names the file and what was found in each error: readable, magic, version, long enough, checksum.
/// The version comes before the checksum so that a file of another version — whose trailer may differ — is reported
/// as such ("version 2 is not supported"), not as corruption.
/// </remarks>
public static class ChecksummedFile
{
    /// <summary>Bytes before the payload: magic + version.</summary>
    public const int HeaderLength = MagicLength + 4;

    /// <summary>Magic length every format uses.</summary>
    public const int MagicLength = 8;

    /// <summary>Length of the trailing SHA-256.</summary>
    public const int ChecksumLength = 32;

    /// <summary>The whole file content for <paramref name="payload"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> magic, uint version, ReadOnlySpan<byte> payload)
    {
        CheckMagic(magic);
        var bytes = new byte[HeaderLength + payload.Length + ChecksumLength];
        magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(MagicLength), version);
        payload.CopyTo(bytes.AsSpan(HeaderLength));
        SHA256.HashData(bytes.AsSpan(0, HeaderLength + payload.Length), bytes.AsSpan(HeaderLength + payload.Length));
        return bytes;
    }

    /// <summary>Writes the container atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, uint version, ReadOnlySpan<byte> payload)
        => AtomicFile.WriteAllBytes(path, Encode(magic, version, payload));

    /// <summary>
    /// Reads and verifies a container file. <paramref name="formatName"/> names the format in messages
    /// ("checkpoint", "model file"); versions other than <paramref name="supportedVersion"/> are rejected.
    /// </summary>
    /// <returns>The payload (a slice of the file's bytes).</returns>
    /// <exception cref="CheckpointException">The file cannot be read, is too short, has another magic, fails the
    /// checksum or has another version.</exception>
    public static ReadOnlyMemory<byte> Read(string path, ReadOnlySpan<byte> magic, uint supportedVersion, string formatName)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read {formatName}: {e.Message}", e);
        }
        return Decode(bytes, path, magic, supportedVersion, formatName);
    }

    /// <summary>Verifies container bytes (see <see cref="Read"/>); <paramref name="source"/> names them in messages.</summary>
    public static ReadOnlyMemory<byte> Decode(byte[] bytes, string source, ReadOnlySpan<byte> magic, uint supportedVersion, string formatName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        CheckMagic(magic);
        string expected = MagicText(magic);
        if (bytes.Length < MagicLength || !bytes.AsSpan(0, MagicLength).SequenceEqual(magic))
            throw new CheckpointException($"{source}: not a HarmoniousFeedback {formatName} (magic bytes '{expected}' missing; {bytes.Length} bytes)");
        if (bytes.Length < HeaderLength)
            throw new CheckpointException($"{source}: truncated {formatName}: {bytes.Length} bytes end inside the {HeaderLength}-byte header");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(MagicLength));
        if (version != supportedVersion)
            throw new CheckpointException($"{source}: {formatName} format version {version} is not supported (this build reads version {supportedVersion})");
        if (bytes.Length < HeaderLength + ChecksumLength)
            throw new CheckpointException($"{source}: truncated {formatName}: {bytes.Length} bytes, shorter than the {HeaderLength + ChecksumLength}-byte header and checksum");
        int bodyLength = bytes.Length - ChecksumLength;
        if (!SHA256.HashData(bytes.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(bytes.AsSpan(bodyLength)))
            throw new CheckpointException($"{source}: SHA-256 checksum mismatch: the {formatName} is corrupt or truncated ({bytes.Length} bytes)");
        return bytes.AsMemory(HeaderLength, bodyLength - HeaderLength);
    }

    private static void CheckMagic(ReadOnlySpan<byte> magic)
    {
        if (magic.Length != MagicLength)
            throw new UnreachableException($"bug: a container magic has {MagicLength} bytes, got {magic.Length}"); // a format's constant, not input
    }

    private static string MagicText(ReadOnlySpan<byte> magic)
        => string.Concat(magic.ToArray().Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}"));
}
