using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// Writes transformer parameters into the toolkit's public, versioned model format. Everything built-in transformers
/// use to save themselves is here and public, so a user's transformer is as capable as ours.
/// </summary>
/// <remarks>
/// A model file is a <see cref="ChecksummedFile"/> container (magic <c>"HFBMODEL"</c>, format version 1, payload,
/// SHA-256) whose payload (little-endian) is the input schema, then the root transformer entry. A transformer entry = its assembly-qualified type name
/// (string) + payload length (int64) + payload; <see cref="ModelReader.ReadTransformer"/> finds the type's
/// <c>public static T Load(ModelReader)</c>. Strings are length-prefixed UTF-8.
/// </remarks>
public sealed class ModelWriter
{
    private readonly BinaryWriter _w;
    internal ModelWriter(Stream s) => _w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);

    public void Write(int v) => _w.Write(v);
    public void Write(long v) => _w.Write(v);
    public void Write(float v) => _w.Write(v);
    public void Write(double v) => _w.Write(v);
    public void Write(bool v) => _w.Write(v);
    public void Write(string v) => _w.Write(v);

    public void Write(float[] v)
    {
        _w.Write(v.Length);
        foreach (var x in v) _w.Write(x);
    }

    public void Write(double[] v)
    {
        _w.Write(v.Length);
        foreach (var x in v) _w.Write(x);
    }

    public void Write(int[] v)
    {
        _w.Write(v.Length);
        foreach (var x in v) _w.Write(x);
    }

    /// <summary>A length-prefixed byte block (e.g. a model's own binary serialisation).</summary>
    public void Write(byte[] v)
    {
        _w.Write(v.Length);
        _w.Write(v);
    }

    public void Write(IReadOnlyList<string> v)
    {
        _w.Write(v.Count);
        foreach (var x in v) _w.Write(x);
    }

    /// <summary>Writes a nested transformer (type name + length-prefixed payload).</summary>
    public void WriteTransformer(ITransformer t)
    {
        var type = t.GetType();
        if (type.GetMethod("Load", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(ModelReader)]) is null)
            throw new CheckpointException($"{type.FullName} cannot be saved: it needs a public static Load(ModelReader) method so the model can be loaded again");
        _w.Write(type.AssemblyQualifiedName!);
        using var ms = new MemoryStream();
        t.Save(new ModelWriter(ms));
        _w.Write(ms.Length);
        _w.Write(ms.GetBuffer(), 0, (int)ms.Length);
    }

    public void Write(Schema schema)
    {
        _w.Write(schema.Count);
        foreach (var c in schema)
        {
            _w.Write(c.Name);
            WriteType(c.Type);
            _w.Write(c.SlotNames is not null);
            if (c.SlotNames is not null) Write(c.SlotNames);
        }
    }

    private void WriteType(ColumnType t)
    {
        switch (t)
        {
            case ScalarType s: _w.Write((byte)1); _w.Write((byte)s.Kind); break;
            case VectorType v: _w.Write((byte)2); _w.Write(v.Size ?? -1); break;
            case SequenceType q: _w.Write((byte)3); _w.Write(q.FeatureSize); break;
            case TensorType tt: _w.Write((byte)4); Write(tt.Shape.Select(x => x ?? -1).ToArray()); break;
            case AudioType: _w.Write((byte)5); break;
            default: throw new CheckpointException($"column type {t} cannot be saved");
        }
    }
}

/// <summary>Reads what <see cref="ModelWriter"/> wrote; every read is bounds-checked and failures name the file.</summary>
public sealed class ModelReader
{
    private readonly BinaryReader _r;
    public string Source { get; }

    internal ModelReader(Stream s, string source)
    {
        _r = new BinaryReader(s, Encoding.UTF8, leaveOpen: true);
        Source = source;
    }

    private T Guard<T>(Func<T> read)
    {
        try { return read(); }
        catch (EndOfStreamException e) { throw new CheckpointException($"{Source}: model file is truncated", e); }
    }

    public int ReadInt32() => Guard(_r.ReadInt32);
    public long ReadInt64() => Guard(_r.ReadInt64);
    public float ReadSingle() => Guard(_r.ReadSingle);
    public double ReadDouble() => Guard(_r.ReadDouble);
    public bool ReadBoolean() => Guard(_r.ReadBoolean);
    public string ReadString() => Guard(_r.ReadString);

    private int ReadLength()
    {
        int n = ReadInt32();
        long remaining = _r.BaseStream.Length - _r.BaseStream.Position;
        if (n < 0 || n > remaining) throw new CheckpointException($"{Source}: array length {n} is impossible at offset {_r.BaseStream.Position} ({remaining} bytes remain): corrupt model file");
        return n;
    }

    public float[] ReadSingleArray()
    {
        var a = new float[ReadLength()];
        for (int i = 0; i < a.Length; i++) a[i] = ReadSingle();
        return a;
    }

    public double[] ReadDoubleArray()
    {
        var a = new double[ReadLength()];
        for (int i = 0; i < a.Length; i++) a[i] = ReadDouble();
        return a;
    }

    public int[] ReadInt32Array()
    {
        var a = new int[ReadLength()];
        for (int i = 0; i < a.Length; i++) a[i] = ReadInt32();
        return a;
    }

    public byte[] ReadBytes()
    {
        int n = ReadLength();
        return Guard(() => _r.ReadBytes(n));
    }

    public string[] ReadStringArray()
    {
        var a = new string[ReadLength()];
        for (int i = 0; i < a.Length; i++) a[i] = ReadString();
        return a;
    }

    public ITransformer ReadTransformer()
    {
        var typeName = ReadString();
        var type = Type.GetType(typeName, throwOnError: false)
            ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName.Split(',')[0].Trim())).FirstOrDefault(t => t is not null)
            ?? throw new CheckpointException($"{Source}: transformer type '{typeName}' cannot be found; load the assembly that defines it first");
        var load = type.GetMethod("Load", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(ModelReader)])
            ?? throw new CheckpointException($"{Source}: type {type.FullName} has no public static Load(ModelReader) method");
        long len = ReadInt64();
        long start = _r.BaseStream.Position;
        if (len < 0 || start + len > _r.BaseStream.Length) throw new CheckpointException($"{Source}: payload of {type.Name} declares {len} bytes past the end of the file");
        object? result;
        try { result = load.Invoke(null, [this]); }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            if (e.InnerException is HarmoniousFeedbackException) throw e.InnerException;
            throw new CheckpointException($"{Source}: loading {type.Name} failed: {e.InnerException.Message}", e.InnerException);
        }
        if (_r.BaseStream.Position != start + len)
            throw new CheckpointException($"{Source}: {type.Name} read {_r.BaseStream.Position - start} bytes of its {len}-byte payload (format mismatch)");
        return result as ITransformer ?? throw new CheckpointException($"{Source}: {type.Name}.Load did not return a transformer");
    }

    public Schema ReadSchema()
    {
        int n = ReadLength();
        var cols = new List<SchemaColumn>(n);
        for (int i = 0; i < n; i++)
        {
            var name = ReadString();
            var type = ReadType();
            var col = new SchemaColumn(name, type);
            if (ReadBoolean()) col = col with { SlotNames = ReadStringArray() };
            cols.Add(col);
        }
        return new Schema(cols);
    }

    private ColumnType ReadType()
    {
        byte tag = Guard(_r.ReadByte);
        return tag switch
        {
            1 => new ScalarType((ScalarKind)Guard(_r.ReadByte)),
            2 => ReadInt32() is var s && s >= 0 ? ColumnType.Vector(s) : ColumnType.Vector(),
            3 => ColumnType.Sequence(ReadInt32()),
            4 => new TensorType(ReadInt32Array().Select(x => x < 0 ? (int?)null : x).ToArray()),
            5 => ColumnType.Audio,
            _ => throw new CheckpointException($"{Source}: unknown column type tag {tag}"),
        };
    }
}

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
