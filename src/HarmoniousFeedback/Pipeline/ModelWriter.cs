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
