using System.Security.Cryptography;
using System.Text;

namespace HarmoniousFeedback.Kernel.Protocol;

/// <summary>
/// HMAC-SHA256 message authentication (messaging spec, "The Wire Protocol"): the signature is the lowercase hex
/// HMAC of the concatenated header, parent_header, metadata and content frames, keyed with the connection file's
/// <c>key</c>. An empty key disables signing (signature frame empty, nothing verified).
/// </summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>True when a key is configured and messages are signed and verified.</summary>
    public bool Enabled => _key.Length > 0;

    /// <summary>Hex HMAC-SHA256 of the four frames, or "" when signing is disabled.</summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return "";
        return Convert.ToHexStringLower(Compute(header, parent, metadata, content));
    }

    /// <summary>Constant-time check of a received signature frame; always true when signing is disabled.</summary>
    public bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return true;
        if (signature.Length != 64) return false;
        Span<byte> given = stackalloc byte[32];
        var status = Convert.FromHexString(Encoding.ASCII.GetString(signature), given, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != 32) return false;
        return CryptographicOperations.FixedTimeEquals(given, Compute(header, parent, metadata, content));
    }

    private byte[] Compute(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parent);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return hmac.GetHashAndReset();
    }
}
