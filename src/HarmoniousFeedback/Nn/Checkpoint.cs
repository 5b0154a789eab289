using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// A training checkpoint: model tensors (state-dict names), optimizer state, epoch/step, random-generator states
/// and free-form metadata, in a versioned binary file.
/// </summary>
/// <remarks>
/// A <see cref="ChecksummedFile"/> container (magic <c>"HFBCKPT\0"</c>, version 1, payload, SHA-256) whose payload
/// is (little-endian):
/// <code>
///   headerLen  u32      then headerLen bytes of UTF-8 JSON: {"epoch", "globalStep", "optimizer": {"type", "lr",
///                       "stepCount"} | null, "rngs": {name: "u64"}, "metadata": {k: v}}
///   count      u32      number of tensor records, each:
///     nameLen  u16, name UTF-8 ("model/&lt;key&gt;" or "optim/&lt;key&gt;")
///     rank     u8, dims i32 × rank
///     data     f32 × ∏dims
/// </code>
/// Saving goes through <see cref="AtomicFile"/> (temporary file, flush to disk, rename), so a crash never leaves a
/// half-written checkpoint under the real name.
/// </remarks>
public sealed class Checkpoint
{
    /// <summary>File magic.</summary>
    public static ReadOnlySpan<byte> Magic => "HFBCKPT\0"u8;
    /// <summary>The format version this build writes and reads.</summary>
    public const uint FormatVersion = 1;

    public int Epoch { get; init; }
    public long GlobalStep { get; init; }
    public Dictionary<string, Tensor> Model { get; init; } = new();
    public string? OptimizerType { get; init; }
    public double OptimizerLr { get; init; }
    public long OptimizerStepCount { get; init; }
    public Dictionary<string, float[]> OptimizerState { get; init; } = new();
    public Dictionary<string, ulong> RngStates { get; init; } = new();
    public Dictionary<string, string> Metadata { get; init; } = new();

    /// <summary>Snapshot (deep copy) of a model, its optimizer and RNGs after <paramref name="epoch"/>.</summary>
    public static Checkpoint Capture(Module model, Optimizer? optimizer, int epoch, long globalStep, IReadOnlyDictionary<string, ulong>? extraRngs = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var rngs = model.NamedRngs().ToDictionary(r => "model/" + r.Key, r => r.Value.State);
        if (extraRngs is not null) foreach (var (k, v) in extraRngs) rngs[k] = v;
        return new Checkpoint
        {
            Epoch = epoch,
            GlobalStep = globalStep,
            Model = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
            OptimizerType = optimizer?.GetType().Name,
            OptimizerLr = optimizer?.Lr ?? 0,
            OptimizerStepCount = optimizer?.StepCount ?? 0,
            OptimizerState = optimizer?.State().ToDictionary(kv => kv.Key, kv => (float[])kv.Value.Clone()) ?? new(),
            RngStates = rngs,
            Metadata = metadata?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? new(),
        };
    }

    /// <summary>Loads weights, optimizer state and model RNG states back into live objects.</summary>
    /// <exception cref="CheckpointException">Keys/shapes do not fit, or the optimizer type differs.</exception>
    public void Restore(Module model, Optimizer? optimizer)
    {
        model.LoadStateDict(Model, strict: true);
        foreach (var (name, rng) in model.NamedRngs())
            if (RngStates.TryGetValue("model/" + name, out var s)) rng.State = s;
        if (optimizer is not null)
        {
            if (OptimizerType != optimizer.GetType().Name)
                throw new CheckpointException($"checkpoint holds {OptimizerType ?? "no"} optimizer state, cannot restore into {optimizer.GetType().Name}");
            optimizer.LoadState(OptimizerState, OptimizerStepCount, OptimizerLr);
        }
    }

    /// <summary>Writes the checkpoint atomically (temp file + rename).</summary>
    public void Save(string path) => ChecksummedFile.Write(path, Magic, FormatVersion, SerializePayload());

    private byte[] SerializePayload()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["epoch"] = Epoch,
            ["globalStep"] = GlobalStep,
            ["optimizer"] = OptimizerType is null ? null : new Dictionary<string, object> { ["type"] = OptimizerType, ["lr"] = OptimizerLr, ["stepCount"] = OptimizerStepCount },
            ["rngs"] = RngStates.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["metadata"] = Metadata,
        }, HarmoniousFeedback.IO.JsonDefaults.Options);
        w.Write((uint)header.Length);
        w.Write(header);
        var records = Model.Select(kv => ("model/" + kv.Key, kv.Value.ShapeArray, (float[])kv.Value._data))
            .Concat(OptimizerState.Select(kv => ("optim/" + kv.Key, new[] { kv.Value.Length }, kv.Value))).ToList();
        w.Write((uint)records.Count);
        foreach (var (name, shape, data) in records)
        {
            var nb = Encoding.UTF8.GetBytes(name);
            w.Write((ushort)nb.Length); w.Write(nb);
            w.Write((byte)shape.Length);
            foreach (var d in shape) w.Write(d);
            var raw = new byte[data.Length * 4];
            for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), data[i]);
            w.Write(raw);
        }
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>Reads and verifies a checkpoint.</summary>
    /// <exception cref="CheckpointException">Missing, not a checkpoint, other version, checksum mismatch, truncated or malformed.</exception>
    public static Checkpoint Load(string path) => ParseChecked(ChecksummedFile.Read(path, Magic, FormatVersion, "checkpoint"), path);

    /// <summary>Reads and verifies a checkpoint held in memory (e.g. an embedded resource); <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="CheckpointException">Not a checkpoint, other version, checksum mismatch, truncated or malformed.</exception>
    public static Checkpoint Load(byte[] bytes, string source) => ParseChecked(ChecksummedFile.Decode(bytes, source, Magic, FormatVersion, "checkpoint"), source);

    private static Checkpoint ParseChecked(ReadOnlyMemory<byte> payload, string path)
    {
        try
        {
            return Parse(payload.Span, path);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new CheckpointException($"{path}: malformed checkpoint: {e.Message}", e);
        }
    }

    private static Checkpoint Parse(ReadOnlySpan<byte> b, string path)
    {
        int pos = 0;
        void Need(int n, string what, ReadOnlySpan<byte> buf)
        {
            if (pos + n > buf.Length) throw new CheckpointException($"{path}: truncated while reading {what} at payload byte {pos} (needs {n} bytes, {buf.Length - pos} left)");
        }
        Need(4, "header length", b);
        int hlen = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(pos)); pos += 4;
        Need(hlen, "header", b);
        using var doc = JsonDocument.Parse(b.Slice(pos, hlen).ToArray()); pos += hlen;
        var h = doc.RootElement;
        Need(4, "tensor count", b);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(pos)); pos += 4;
        var model = new Dictionary<string, Tensor>();
        var optim = new Dictionary<string, float[]>();
        for (uint k = 0; k < count; k++)
        {
            Need(2, $"name length of tensor #{k}", b);
            int nl = BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(pos)); pos += 2;
            Need(nl + 1, $"name of tensor #{k}", b);
            string name = Encoding.UTF8.GetString(b.Slice(pos, nl)); pos += nl;
            int rank = b[pos++];
            Need(4 * rank, $"shape of '{name}'", b);
            var shape = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++)
            {
                shape[i] = BinaryPrimitives.ReadInt32LittleEndian(b.Slice(pos)); pos += 4;
                if (shape[i] < 0) throw new CheckpointException($"{path}: tensor '{name}' has negative dimension {shape[i]}");
                n *= shape[i];
            }
            if (n * 4 > b.Length - pos) throw new CheckpointException($"{path}: truncated in the data of '{name}' (shape {Tensor.ShapeString(shape)} needs {n * 4} bytes, {b.Length - pos} left)");
            var data = new float[n];
            for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(b.Slice(pos + 4 * i));
            pos += (int)n * 4;
            if (name.StartsWith("model/", StringComparison.Ordinal)) model[name[6..]] = new Tensor(data, shape);
            else if (name.StartsWith("optim/", StringComparison.Ordinal)) optim[name[6..]] = data;
            else throw new CheckpointException($"{path}: tensor record '{name}' has an unknown section");
        }
        if (pos != b.Length) throw new CheckpointException($"{path}: {b.Length - pos} unexpected bytes after the last tensor");
        var opt = h.GetProperty("optimizer");
        return new Checkpoint
        {
            Epoch = h.GetProperty("epoch").GetInt32(),
            GlobalStep = h.GetProperty("globalStep").GetInt64(),
            Model = model,
            OptimizerType = opt.ValueKind == JsonValueKind.Null ? null : opt.GetProperty("type").GetString(),
            OptimizerLr = opt.ValueKind == JsonValueKind.Null ? 0 : opt.GetProperty("lr").GetDouble(),
            OptimizerStepCount = opt.ValueKind == JsonValueKind.Null ? 0 : opt.GetProperty("stepCount").GetInt64(),
            OptimizerState = optim,
            RngStates = h.GetProperty("rngs").EnumerateObject().ToDictionary(p => p.Name, p => ulong.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)),
            Metadata = h.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
        };
    }
}
