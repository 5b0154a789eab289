using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HarmoniousFeedback.Kernel.Protocol;

/// <summary>
/// One Jupyter message (messaging spec 5.3, "General Message Format"): routing identities, header, parent header,
/// metadata, content and optional binary buffers. On the wire:
/// <c>[identities…, "&lt;IDS|MSG&gt;", hmac, header, parent_header, metadata, content, buffers…]</c>.
/// </summary>
public sealed class JupyterMessage
{
    /// <summary>The protocol version this kernel implements, sent in every header.</summary>
    public const string ProtocolVersion = "5.3";

    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <summary>ZeroMQ routing prefix (ROUTER identities, or the PUB topic), echoed on replies.</summary>
    public IReadOnlyList<byte[]> Identities { get; init; } = [];
    public required JsonObject Header { get; init; }
    public JsonObject ParentHeader { get; init; } = new();
    public JsonObject Metadata { get; init; } = new();
    public JsonObject Content { get; init; } = new();
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    /// <summary><c>header.msg_type</c>, e.g. <c>execute_request</c>.</summary>
    public string MessageType => Header["msg_type"]?.GetValue<string>() ?? "";

    /// <summary><c>header.msg_id</c>.</summary>
    public string MessageId => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>A fresh header: new msg_id, UTC ISO-8601 date, protocol version 5.3.</summary>
    public static JsonObject NewHeader(string msgType, string session, string username = "kernel") => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = username,
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };

    /// <summary>
    /// A message whose parent is <paramref name="parent"/> (a reply, or iopub output caused by a request). For
    /// replies pass the parent's identities; for iopub the identity frame is the topic.
    /// </summary>
    public static JsonObject ChildHeader(string msgType, JsonObject? parentHeader, string session)
    {
        var username = parentHeader?["username"]?.GetValue<string>() ?? "kernel";
        return NewHeader(msgType, session, username);
    }

    /// <summary>Serialises to wire frames, signing with <paramref name="signer"/>.</summary>
    public List<byte[]> ToFrames(MessageSigner signer)
    {
        var header = Serialize(Header);
        var parent = ParentHeader.Count == 0 ? EmptyObject : Serialize(ParentHeader);
        var metadata = Metadata.Count == 0 ? EmptyObject : Serialize(Metadata);
        var content = Serialize(Content);
        var frames = new List<byte[]>(Identities.Count + 6 + Buffers.Count);
        frames.AddRange(Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(Buffers);
        return frames;
    }

    /// <summary>
    /// Parses wire frames and verifies the signature. Throws <see cref="ProtocolException"/> when the delimiter is
    /// missing, a frame is not a JSON object, or the signature does not match (such messages must be ignored).
    /// </summary>
    public static JupyterMessage FromFrames(IReadOnlyList<byte[]> frames, MessageSigner signer)
    {
        var d = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { d = i; break; }
        }
        if (d < 0) throw new ProtocolException($"message of {frames.Count} frames has no '<IDS|MSG>' delimiter");
        if (frames.Count < d + 6) throw new ProtocolException($"message has {frames.Count - d - 1} frames after the delimiter (expected at least 5: hmac, header, parent_header, metadata, content)");
        var (sig, header, parent, metadata, content) = (frames[d + 1], frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5]);
        if (!signer.Verify(sig, header, parent, metadata, content))
            throw new ProtocolException($"invalid HMAC signature '{Encoding.ASCII.GetString(sig)}'");
        var msg = new JupyterMessage
        {
            Identities = frames.Take(d).ToArray(),
            Header = ParseObject(header, "header"),
            ParentHeader = ParseObject(parent, "parent_header"),
            Metadata = ParseObject(metadata, "metadata"),
            Content = ParseObject(content, "content"),
            Buffers = frames.Skip(d + 6).ToArray(),
        };
        if (msg.MessageType.Length == 0) throw new ProtocolException("header has no msg_type");
        return msg;
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Serialize(JsonObject o)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) o.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static JsonObject ParseObject(byte[] bytes, string frame)
    {
        try
        {
            var o = JsonNode.Parse(bytes) as JsonObject ?? throw new ProtocolException($"{frame} frame is not a JSON object");
            _ = o.Count; // materialise now: a lazily parsed JsonObject must not be first read from two threads at once
            return o;
        }
        catch (JsonException e)
        {
            throw new ProtocolException($"{frame} frame is not valid JSON: {e.Message}", e);
        }
    }
}
