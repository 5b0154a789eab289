using System.Text;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Protocol;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Protocol;

public sealed class MessageSignerTests
{
    private static readonly byte[] Header = "{\"msg_id\":\"1\"}"u8.ToArray(), Empty = "{}"u8.ToArray(), Content = "{\"code\":\"1+1\"}"u8.ToArray();

    [Fact]
    public void Sign_matches_Python_HMAC_SHA256()
    {
        // Reference: python3 hmac.new(b'secret-key', digestmod=hashlib.sha256) updated with the four frames in order.
        const string expected = "f29edc2ae347e99e996cf426a9068abd72bbac08f131d7b7d863f0430600434a";
        Assert.Equal(expected, new MessageSigner("secret-key").Sign(Header, Empty, Empty, Content));
    }

    [Fact]
    public void Verify_rejects_tampered_content_wrong_key_and_malformed_signatures()
    {
        var signer = new MessageSigner("secret-key");
        var sig = Encoding.ASCII.GetBytes(signer.Sign(Header, Empty, Empty, Content));
        Assert.True(signer.Verify(sig, Header, Empty, Empty, Content));
        Assert.False(signer.Verify(sig, Header, Empty, Empty, "{\"code\":\"2+2\"}"u8));
        Assert.False(new MessageSigner("other").Verify(sig, Header, Empty, Empty, Content));
        Assert.False(signer.Verify("zz"u8, Header, Empty, Empty, Content));
        Assert.False(signer.Verify(Encoding.ASCII.GetBytes(new string('g', 64)), Header, Empty, Empty, Content));
        Assert.False(signer.Verify(ReadOnlySpan<byte>.Empty, Header, Empty, Empty, Content));
    }

    [Fact]
    public void EmptyKey_disables_signing()
    {
        var signer = new MessageSigner("");
        Assert.False(signer.Enabled);
        Assert.Equal("", signer.Sign(Header, Empty, Empty, Content));
        Assert.True(signer.Verify(ReadOnlySpan<byte>.Empty, Header, Empty, Empty, Content));
    }
}

public sealed class JupyterMessageTests
{
    [Fact]
    public void Frames_round_trip_with_identities_and_buffers()
    {
        var signer = new MessageSigner("k");
        var message = new JupyterMessage
        {
            Identities = [[1, 2, 3]],
            Header = JupyterMessage.NewHeader("execute_request", "s"),
            ParentHeader = new JsonObject { ["msg_id"] = "p" },
            Content = new JsonObject { ["code"] = "Console.WriteLine(\"é<>\");" },
            Buffers = [[9]],
        };
        var frames = message.ToFrames(signer);
        Assert.Equal("<IDS|MSG>", Encoding.UTF8.GetString(frames[1]));
        var parsed = JupyterMessage.FromFrames(frames, signer);
        Assert.Equal(new byte[] { 1, 2, 3 }, parsed.Identities.Single());
        Assert.Equal("execute_request", parsed.MessageType);
        Assert.Equal("5.3", parsed.Header["version"]!.GetValue<string>());
        Assert.Equal("p", parsed.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Equal("Console.WriteLine(\"é<>\");", parsed.Content["code"]!.GetValue<string>());
        Assert.Equal(new byte[] { 9 }, parsed.Buffers.Single());
    }

    [Fact]
    public void FromFrames_rejects_bad_signature_missing_delimiter_and_bad_json()
    {
        var signer = new MessageSigner("k");
        var frames = new JupyterMessage { Header = JupyterMessage.NewHeader("kernel_info_request", "s") }.ToFrames(signer);
        var forged = frames.ToList();
        forged[^1] = "{\"x\":1}"u8.ToArray();
        Assert.Contains("invalid HMAC signature", Assert.Throws<ProtocolException>(() => JupyterMessage.FromFrames(forged, signer)).Message);
        Assert.Contains("no '<IDS|MSG>' delimiter", Assert.Throws<ProtocolException>(() => JupyterMessage.FromFrames(frames.Skip(1).ToList(), signer)).Message);
        var unsigned = new MessageSigner("");
        Assert.Contains("header frame is not valid JSON", Assert.Throws<ProtocolException>(() =>
            JupyterMessage.FromFrames(["<IDS|MSG>"u8.ToArray(), [], "{"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()], unsigned)).Message);
    }
}

public sealed class ConnectionInfoTests
{
    [Fact]
    public void Parse_reads_a_Jupyter_connection_file()
    {
        var info = ConnectionInfo.Parse("""
            {"shell_port": 57503, "iopub_port": 57504, "stdin_port": 57505, "control_port": 57506, "hb_port": 57507,
             "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84", "transport": "tcp",
             "signature_scheme": "hmac-sha256", "kernel_name": "hfb-csharp"}
            """);
        Assert.Equal("tcp://127.0.0.1:57503", info.Endpoint(info.ShellPort));
        Assert.Equal("a0436f6c-1916-498b-8eb9-e81ab9368e84", info.Key);
        Assert.Equal("ipc:///tmp/k-57504", (info with { Transport = "ipc", Ip = "/tmp/k" }).Endpoint(57504));
    }

    [Fact]
    public void Parse_lists_every_problem_with_its_value()
    {
        var e = Assert.Throws<ConnectionFileException>(() => ConnectionInfo.Parse(
            """{"transport": "udp", "shell_port": 0, "iopub_port": 70000, "stdin_port": 1, "control_port": 2, "hb_port": 3, "key": "k", "signature_scheme": "hmac-md5"}""", "conn.json"));
        Assert.Contains("transport is 'udp'", e.Message);
        Assert.Contains("shell_port is 0", e.Message);
        Assert.Contains("iopub_port is 70000", e.Message);
        Assert.Contains("signature_scheme is 'hmac-md5'", e.Message);
        Assert.Contains("'conn.json' is not valid JSON", Assert.Throws<ConnectionFileException>(() => ConnectionInfo.Parse("{", "conn.json")).Message);
    }

    [Fact]
    public void CodePoints_convert_around_astral_characters()
    {
        var code = "var s = \"🎵\"; s.Len";
        var utf16 = code.Length;
        var points = utf16 - 1; // the note is one code point, two UTF-16 units
        Assert.Equal(utf16, CodePoints.ToUtf16Index(code, points));
        Assert.Equal(points, CodePoints.FromUtf16Index(code, utf16));
        Assert.Equal(3, CodePoints.ToUtf16Index(code, 3));
    }
}
