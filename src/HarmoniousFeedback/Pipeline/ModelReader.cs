using System.Text;

namespace HarmoniousFeedback.Pipeline;

/// <summary>Reads what <see cref="ModelWriter"/> wrote; every read is bounds-checked and failures name the file.</summary>
public sealed class ModelReader
{
    private readonly BinaryReader _r;
    private long _payloadEnd = long.MaxValue;
    public string Source { get; }

    /// <summary>True when the transformer being loaded has read its whole payload: a format that appended fields later reads them only when this is false.</summary>
    public bool AtPayloadEnd => _r.BaseStream.Position >= Math.Min(_payloadEnd, _r.BaseStream.Length);

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
        long outer = _payloadEnd;
        _payloadEnd = start + len;
        try { result = load.Invoke(null, [this]); }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            if (e.InnerException is HarmoniousFeedbackException) throw e.InnerException;
            throw new CheckpointException($"{Source}: loading {type.Name} failed: {e.InnerException.Message}", e.InnerException);
        }
        finally { _payloadEnd = outer; }
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
