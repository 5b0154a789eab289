using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

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
