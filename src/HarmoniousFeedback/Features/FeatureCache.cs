using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Features;

/// <summary>
/// On-disk cache of feature matrices, keyed by the content of the audio and the exact options:
/// <c>key = hex(SHA-256(hex(SHA-256(audio file bytes)) + "\n" + canonical options))</c>, where the canonical options
/// string is the options type's full name and its record <c>ToString()</c> under the invariant culture (records print
/// every property, nested records included), so any option change is a different key.
/// <para>File format (<c>&lt;key&gt;.hfbfeat</c>, little-endian): magic <c>"HFBFEAT\0"</c>, int32 version (1), the canonical
/// options string (7-bit length-prefixed UTF-8; compared on read), int32 rows, int32 columns, the column names, rows ×
/// float64 frame times, rows·columns × float32 data, int64 byte count of everything before it (truncation check).
/// Writes go to a temporary file in the same folder and are renamed into place (atomic on one file system); a file
/// that is unreadable, truncated, of another version or for other options is treated as a miss and replaced.
/// Thread-safe and safe for concurrent processes (last writer wins with identical content).</para>
/// </summary>
public sealed class FeatureCache
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "HFBFEAT\0"u8.ToArray();
    public string Directory { get; }

    public FeatureCache(string directory)
    {
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The canonical string of an options object (type name + invariant-culture record text).</summary>
    public static string CanonicalOptions(object options)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            return options.GetType().FullName + ":" + options;
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The cache key for audio content hash <paramref name="audioSha256"/> and canonical options.</summary>
    public static string Key(string audioSha256, string canonicalOptions)
        => Sha256Hex(Encoding.UTF8.GetBytes(audioSha256 + "\n" + canonicalOptions));

    public string PathFor(string key) => Path.Combine(Directory, key + ".hfbfeat");

    /// <summary>Reads a cached matrix; false on a miss or an unusable file.</summary>
    public bool TryGet(string key, string canonicalOptions, out FeatureMatrix? matrix)
    {
        matrix = null;
        var path = PathFor(key);
        if (!File.Exists(path)) return false;
        try
        {
            using var fs = File.OpenRead(path);
            using var r = new BinaryReader(fs, Encoding.UTF8);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return false;
            if (r.ReadInt32() != FormatVersion) return false;
            if (r.ReadString() != canonicalOptions) return false;
            int rows = r.ReadInt32(), cols = r.ReadInt32();
            if (rows < 0 || cols < 0 || (long)rows * cols > fs.Length) return false;
            var names = new string[cols];
            for (int j = 0; j < cols; j++) names[j] = r.ReadString();
            var times = new double[rows];
            for (int i = 0; i < rows; i++) times[i] = r.ReadDouble();
            var data = new float[rows * cols];
            var bytes = r.ReadBytes(data.Length * 4);
            if (bytes.Length != data.Length * 4) return false;
            Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
            long expected = fs.Position;
            if (r.ReadInt64() != expected) return false;
            matrix = new FeatureMatrix(data, rows, cols, names, times, canonicalOptions);
            return true;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or FormatException or ShapeMismatchException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes a matrix atomically (temp file + rename).</summary>
    public void Put(string key, string canonicalOptions, FeatureMatrix m)
    {
        AtomicFile.Write(PathFor(key), fs =>
        {
            using var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic); w.Write(FormatVersion); w.Write(canonicalOptions);
            w.Write(m.Rows); w.Write(m.Columns);
            foreach (var n in m.FeatureNames) w.Write(n);
            foreach (var t in m.FrameTimes) w.Write(t);
            var bytes = new byte[m.Data.Length * 4];
            Buffer.BlockCopy(m.Data, 0, bytes, 0, bytes.Length);
            w.Write(bytes);
            w.Flush();
            w.Write(fs.Position);
        });
    }
}
