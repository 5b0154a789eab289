using System.Text.Json;
using System.Text.Json.Serialization;

namespace HarmoniousFeedback.Kernel.Protocol;

/// <summary>
/// The connection file Jupyter writes for a kernel (messaging spec, "Connection files"): transport, IP, the five
/// ports, the HMAC key and its scheme. Example:
/// <c>{"transport":"tcp","ip":"127.0.0.1","shell_port":57503,"iopub_port":57504,"stdin_port":57505,
/// "control_port":57506,"hb_port":57507,"key":"a0436f6c-...","signature_scheme":"hmac-sha256"}</c>.
/// </summary>
public sealed record ConnectionInfo
{
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }
    [JsonPropertyName("iopub_port")] public int IopubPort { get; init; }
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }
    [JsonPropertyName("hb_port")] public int HbPort { get; init; }
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";
    [JsonPropertyName("kernel_name")] public string? KernelName { get; init; }

    /// <summary>The ZeroMQ endpoint for a port: <c>tcp://ip:port</c>, or <c>ipc://ip-port</c> for the ipc transport (jupyter_client's convention).</summary>
    public string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";

    /// <summary>Reads and validates a connection file; every problem found is listed in one <see cref="ConnectionFileException"/>.</summary>
    public static ConnectionInfo Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConnectionFileException($"cannot read connection file '{path}': {e.Message}", e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses connection-file JSON; <paramref name="source"/> names it in error messages.</summary>
    public static ConnectionInfo Parse(string json, string source = "connection file")
    {
        ConnectionInfo? info;
        try { info = JsonSerializer.Deserialize<ConnectionInfo>(json); }
        catch (JsonException e) { throw new ConnectionFileException($"'{source}' is not valid JSON: {e.Message}", e); }
        if (info is null) throw new ConnectionFileException($"'{source}' is empty (JSON null)");
        info.Validate(source);
        return info;
    }

    /// <summary>Gathers every invalid field (name and value) and throws once.</summary>
    public void Validate(string source = "connection file")
    {
        var errors = new List<string>();
        if (Transport is not ("tcp" or "ipc")) errors.Add($"transport is '{Transport}' (expected 'tcp' or 'ipc')");
        if (string.IsNullOrWhiteSpace(Ip)) errors.Add("ip is empty");
        foreach (var (name, port) in new[] { ("shell_port", ShellPort), ("iopub_port", IopubPort), ("stdin_port", StdinPort), ("control_port", ControlPort), ("hb_port", HbPort) })
        {
            if (port is <= 0 or > 65535) errors.Add($"{name} is {port} (expected 1..65535)");
        }
        if (Key.Length > 0 && SignatureScheme != "hmac-sha256") errors.Add($"signature_scheme is '{SignatureScheme}' (only 'hmac-sha256' is supported)");
        if (errors.Count > 0) throw new ConnectionFileException($"invalid connection file '{source}': " + string.Join("; ", errors));
    }
}
