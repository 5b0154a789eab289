using System.Diagnostics;
using System.Runtime.InteropServices;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Pipeline;

/// <summary>Saving and loading whole models (ML.NET's <c>ctx.Model.Save/Load</c>).</summary>
public static class ModelFile
{
    private static ReadOnlySpan<byte> Magic => "HFBMODEL"u8;
    public const uint FormatVersion = 1;

    /// <summary>Writes <paramref name="model"/> and the schema it expects to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Save(ITransformer model, Schema inputSchema, string path)
    {
        using var ms = new MemoryStream();
        var w = new ModelWriter(ms);
        w.Write(inputSchema);
        w.WriteTransformer(model);
        ChecksummedFile.Write(path, Magic, FormatVersion, ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    /// <summary>Loads a model saved by <see cref="Save"/> and the input schema it expects.</summary>
    /// <exception cref="CheckpointException">The file is missing, not a model file, of another version, corrupt or truncated,
    /// or names a transformer type that cannot be loaded.</exception>
    public static ITransformer Load(string path, out Schema inputSchema)
    {
        var payload = ChecksummedFile.Read(path, Magic, FormatVersion, "model file");
        if (!MemoryMarshal.TryGetArray(payload, out var segment))
            throw new UnreachableException("ChecksummedFile.Read returns a slice of the file's byte array");
        using var ms = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        var r = new ModelReader(ms, path);
        inputSchema = r.ReadSchema();
        return r.ReadTransformer();
    }
}
