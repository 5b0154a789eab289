using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HarmoniousFeedback.Audio;

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
        var path = PathFor(key);
        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            using (var w = new BinaryWriter(fs, Encoding.UTF8))
            {
                w.Write(Magic); w.Write(FormatVersion); w.Write(canonicalOptions);
                w.Write(m.Rows); w.Write(m.Columns);
                foreach (var n in m.FeatureNames) w.Write(n);
                foreach (var t in m.FrameTimes) w.Write(t);
                var bytes = new byte[m.Data.Length * 4];
                Buffer.BlockCopy(m.Data, 0, bytes, 0, bytes.Length);
                w.Write(bytes);
                w.Flush();
                w.Write(fs.Position);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }
}

/// <summary>One clip to extract: an id (as in a dataset manifest) and the path of its audio file.</summary>
public sealed record BatchItem(string ClipId, string AudioPath);

/// <summary>Progress of a batch: clips done so far (of <see cref="Total"/>), the clip just finished and whether it came from the cache.</summary>
public sealed record BatchProgress(int Completed, int Total, string ClipId, bool FromCache);

/// <summary>The features of one clip.</summary>
public sealed record BatchResult(string ClipId, FeatureMatrix Features, bool FromCache);

/// <summary>
/// Extracts features for many clips, in parallel across clips, through an optional <see cref="FeatureCache"/>.
/// The extractor is any <c>AudioClip → FeatureMatrix</c> function plus the options object that fully describes it
/// (used for the cache key). Clips are decoded as <see cref="AudioFile.Read"/> does (WAV natively, other formats through
/// ffmpeg; the cache key is the file's bytes either way). Results come back in input order. A failing clip stops the batch
/// with a <see cref="DatasetException"/> naming the clip id and path (the inner exception says why).
/// </summary>
public sealed class BatchFeatureExtractor
{
    private readonly Func<AudioClip, FeatureMatrix> _extract;
    private readonly string _canonical;
    public FeatureCache? Cache { get; }
    public int MaxDegreeOfParallelism { get; }

    public BatchFeatureExtractor(Func<AudioClip, FeatureMatrix> extract, object options, FeatureCache? cache = null, int maxDegreeOfParallelism = -1)
    {
        _extract = extract ?? throw new ArgumentNullException(nameof(extract));
        _canonical = FeatureCache.CanonicalOptions(options ?? throw new ArgumentNullException(nameof(options)));
        Cache = cache;
        MaxDegreeOfParallelism = maxDegreeOfParallelism < 1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
    }

    /// <summary>MFCCs per clip (clips must be at the options' sample rate; multichannel clips are averaged to mono).</summary>
    public static BatchFeatureExtractor ForMfcc(MfccOptions options, FeatureCache? cache = null, int maxDegreeOfParallelism = -1)
    {
        var ex = new Mfcc(options);
        return new BatchFeatureExtractor(ex.Compute, options, cache, maxDegreeOfParallelism);
    }

    /// <summary>50-dim LLD segment descriptors per clip.</summary>
    public static BatchFeatureExtractor ForLldSegments(LldOptions options, FeatureCache? cache = null, int maxDegreeOfParallelism = -1)
    {
        var ex = new LldExtractor(options);
        return new BatchFeatureExtractor(ex.ComputeSegments, options, cache, maxDegreeOfParallelism);
    }

    public IReadOnlyList<BatchResult> Run(IEnumerable<BatchItem> items, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var list = items.ToList();
        var results = new BatchResult[list.Count];
        int done = 0;
        try
        {
            Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
            {
                var (id, path) = (list[i].ClipId, list[i].AudioPath);
                try
                {
                    byte[] bytes;
                    try { bytes = File.ReadAllBytes(path); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new AudioFormatException(path, "cannot read file: " + e.Message, e); }
                    string? key = Cache is null ? null : FeatureCache.Key(FeatureCache.Sha256Hex(bytes), _canonical);
                    bool hit = false;
                    FeatureMatrix? m = null;
                    if (key is not null && Cache!.TryGet(key, _canonical, out m)) hit = true;
                    else
                    {
                        m = _extract(AudioFile.Decode(bytes, path)); // WAV natively, other formats through ffmpeg
                        if (key is not null) Cache!.Put(key, _canonical, m);
                    }
                    results[i] = new BatchResult(id, m!, hit);
                    progress?.Report(new BatchProgress(Interlocked.Increment(ref done), list.Count, id, hit));
                }
                catch (HarmoniousFeedbackException e)
                {
                    throw new DatasetException($"clip '{id}' ({path}): {e.Message}", e);
                }
            });
        }
        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0 && ae.InnerExceptions[0] is HarmoniousFeedbackException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
        }
        return results;
    }
}
