using System.Text.Json;
using System.Text.Json.Serialization;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Binary persistence shared by the classical models: a header (<c>"HFBC"</c>, the model kind, a format version), the
/// options as JSON, then length-prefixed arrays. Every read is bounds-checked against the stream, so a truncated or
/// corrupt model raises <see cref="CheckpointException"/> instead of allocating absurd arrays or reading garbage.
/// </summary>
internal static class ClassicalModelIO
{
    private const int Version = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        TypeInfoResolver = HarmoniousFeedback.IO.JsonDefaults.Resolver,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void WriteHeader(BinaryWriter w, string kind)
    {
        w.Write("HFBC");
        w.Write(kind);
        w.Write(Version);
    }

    public static void ReadHeader(BinaryReader r, string kind)
    {
        string magic = Guard(r, r.ReadString), found = Guard(r, r.ReadString);
        int version = Guard(r, r.ReadInt32);
        if (magic != "HFBC") throw new CheckpointException("not a classical-model payload (missing HFBC header)");
        if (found != kind) throw new CheckpointException($"the payload holds a {found} model, not a {kind} model");
        if (version != Version) throw new CheckpointException($"{kind} model format version {version} is not supported (this build reads {Version})");
    }

    public static void WriteOptions<T>(BinaryWriter w, T options) => w.Write(JsonSerializer.Serialize(options, Json));

    public static T ReadOptions<T>(BinaryReader r) =>
        JsonSerializer.Deserialize<T>(Guard(r, r.ReadString), Json) ?? throw new CheckpointException($"{typeof(T).Name} are missing from the model");

    public static void Write(BinaryWriter w, double[] a)
    {
        w.Write(a.Length);
        foreach (var v in a) w.Write(v);
    }

    public static void Write(BinaryWriter w, int[] a)
    {
        w.Write(a.Length);
        foreach (var v in a) w.Write(v);
    }

    public static double[] ReadDoubles(BinaryReader r)
    {
        var a = new double[Length(r, 8)];
        for (int i = 0; i < a.Length; i++) a[i] = r.ReadDouble();
        return a;
    }

    public static int[] ReadInts(BinaryReader r)
    {
        var a = new int[Length(r, 4)];
        for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt32();
        return a;
    }

    public static int ReadCount(BinaryReader r, int max, string what)
    {
        int n = Guard(r, r.ReadInt32);
        if (n < 0 || n > max) throw new CheckpointException($"{what} count {n} is outside [0, {max}]: corrupt model");
        return n;
    }

    private static int Length(BinaryReader r, int elementSize)
    {
        int n = Guard(r, r.ReadInt32);
        long remaining = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || (long)n * elementSize > remaining)
            throw new CheckpointException($"array of {n} elements does not fit the {remaining} bytes left: corrupt or truncated model");
        return n;
    }

    public static T Guard<T>(BinaryReader r, Func<T> read)
    {
        try { return read(); }
        catch (EndOfStreamException e) { throw new CheckpointException("the model is truncated", e); }
        catch (JsonException e) { throw new CheckpointException("the model's options are corrupt: " + e.Message, e); }
    }
}
