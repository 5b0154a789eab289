using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Computes (or reads from the feature cache) the <see cref="ReferenceAlignment"/> of every clip once, for the three
/// reference views: on a miss the aligned reference, the alignment features and the clip statistics are all stored, so
/// the other views then hit. Cache key: SHA-256 of the performance's audio, the reference's identity (SHA-256 of its MIDI
/// + the renderer's cache key, or of its audio) and the canonical view options + which part.
/// </summary>
internal static class ReferenceAlignmentExtractor
{
    public enum Part { Aligned, Features, Stats, Notes }

    /// <summary>The statistics of the <c>score-aligned</c> view, in order.</summary>
    public static IReadOnlyList<string> StatNames { get; } =
        [.. ReferenceAlignment.FeatureNames.SelectMany(f => new[] { $"{f}_mean", $"{f}_std", $"{f}_min", $"{f}_max" }),
         "abs_difference_mean", "positive_difference_mean", "negative_difference_mean", "difference_std"];

    public static string? Missing(ViewClip clip, ReferenceViewOptions o) => o.Reference switch
    {
        ReferenceSource.Score when clip.ReferenceMidiPath is null => "the clip has no reference score (a dataset of performances compared with a score, e.g. the teaching-feedback corpus, gives one)",
        ReferenceSource.Audio when clip.ReferenceAudioPath is null => "the clip has no reference audio (use reference = score, or a dataset that gives reference recordings)",
        _ => null,
    };

    public static FeatureMatrix[] Extract(IReadOnlyList<ViewClip> clips, ReferenceViewOptions o, ViewExtraction x, Part part, string task)
    {
        var cache = x.CacheDirectory is null ? null : new FeatureCache(x.CacheDirectory);
        var renderCache = x.RenderCacheDirectory is null ? null : new RenderCache(x.RenderCacheDirectory);
        var alignment = new ReferenceAlignment(o.ToAlignmentOptions());
        var renderer = o.Reference == ReferenceSource.Score ? o.CreateRenderer() : null;
        // built once (filterbank, STFT tables; thread-safe): the note comparison is stored with every alignment against a score
        var notes = renderer is null ? null : new ScoreInformedComparison(ScoreInformedOptions.ForAlignment(alignment.Options));
        string canonical = FeatureCache.CanonicalOptions(o) + "|" + FeatureCache.CanonicalOptions(o.ToAlignmentOptions()) + $"|alignment-v{ReferenceAlignment.Version}";
        var result = new FeatureMatrix[clips.Count];
        int done = 0;
        try
        {
            Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, x.Threads), CancellationToken = x.Cancellation }, i =>
            {
                var c = clips[i];
                try
                {
                    var student = ReadBytes(c.AudioPath);
                    byte[] refBytes = ReadBytes(o.Reference == ReferenceSource.Score ? c.ReferenceMidiPath! : c.ReferenceAudioPath!);
                    string refId = renderer is not null ? $"score:{FeatureCache.Sha256Hex(refBytes)}:{renderer.CacheKey}" : $"audio:{FeatureCache.Sha256Hex(refBytes)}";
                    string baseKey = FeatureCache.Sha256Hex(student) + "|" + refId;
                    string Label(Part p) => canonical + "|" + p + (p == Part.Notes ? $"-v{ScoreInformedComparison.Version}" : "");
                    string Key(Part p) => FeatureCache.Key(baseKey, Label(p));
                    if (cache is not null && cache.TryGet(Key(part), Label(part), out var hit)) { result[i] = hit!; }
                    else
                    {
                        var performance = WavReader.Read(student, c.AudioPath).AsMono();
                        var reference = renderer is not null ? Render(renderer, renderCache, refBytes, c.ReferenceMidiPath!) : WavReader.Read(refBytes, c.ReferenceAudioPath!).AsMono();
                        foreach (var (clip, what) in new[] { (performance, "performance"), (reference, "reference") })
                            if (clip.SampleRate != o.LogMel.SampleRate)
                                throw new AudioFormatException(clip.Source, $"the {what} is at {clip.SampleRate} Hz but the view works at {o.LogMel.SampleRate} Hz; prepare the dataset at the view's rate");
                        var a = alignment.Compute(performance, reference);
                        var parts = new Dictionary<Part, FeatureMatrix> { [Part.Aligned] = a.AlignedReference, [Part.Features] = a.Features, [Part.Stats] = Stats(a) };
                        if (notes is not null)
                        {
                            var v = notes.Compute(performance, reference, MidiReader.Read(refBytes, c.ReferenceMidiPath!), a);
                            parts[Part.Notes] = new FeatureMatrix(v, 1, v.Length, ScoreInformedComparison.FeatureNames, [0.0]);
                        }
                        if (cache is not null) foreach (var (p, m) in parts) cache.Put(Key(p), Label(p), m);
                        result[i] = parts[part];
                    }
                    int n = Interlocked.Increment(ref done);
                    x.Progress?.Invoke(task, n, clips.Count);
                }
                catch (HarmoniousFeedbackException e) when (e is not DatasetException)
                {
                    throw new DatasetException($"clip '{c.Id}' ({c.AudioPath}): {e.Message}", e);
                }
            });
        }
        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0 && ae.InnerExceptions[0] is HarmoniousFeedbackException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
        }
        return result;
    }

    private static byte[] ReadBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new AudioFormatException(path, "cannot read file: " + e.Message, e); }
    }

    private static AudioClip Render(IMidiRenderer renderer, RenderCache? cache, byte[] midi, string path)
    {
        if (cache is null) return renderer.Render(MidiReader.Read(midi, path), midi).AsMono();
        var wav = cache.GetOrRender(renderer, midi, () => MidiReader.Read(midi, path), out _);
        return WavReader.Read(wav).AsMono();
    }

    /// <summary>Per alignment feature mean, std, min, max; then mean |X − R̃|, mean max(0, X − R̃), mean max(0, R̃ − X), std(X − R̃): a vector [36] as a 1-row matrix.</summary>
    private static FeatureMatrix Stats(ReferenceAlignmentResult a)
    {
        var f = a.Features;
        var v = new float[StatNames.Count];
        for (int k = 0; k < f.Columns; k++)
        {
            double s = 0, s2 = 0, mn = double.PositiveInfinity, mx = double.NegativeInfinity;
            for (int i = 0; i < f.Rows; i++)
            {
                double x = f.Data[i * f.Columns + k];
                s += x; s2 += x * x; mn = Math.Min(mn, x); mx = Math.Max(mx, x);
            }
            double mean = s / f.Rows;
            v[4 * k] = (float)mean;
            v[4 * k + 1] = (float)Math.Sqrt(Math.Max(0, s2 / f.Rows - mean * mean));
            v[4 * k + 2] = (float)mn;
            v[4 * k + 3] = (float)mx;
        }
        double abs = 0, pos = 0, neg = 0, d1 = 0, d2 = 0;
        var xs = a.Performance.Data;
        var xr = a.AlignedReference.Data;
        int n = Math.Min(xs.Length, xr.Length);
        for (int i = 0; i < n; i++)
        {
            double d = xs[i] - xr[i];
            abs += Math.Abs(d); pos += Math.Max(0, d); neg += Math.Max(0, -d); d1 += d; d2 += d * d;
        }
        int b = 4 * f.Columns;
        v[b] = (float)(abs / n); v[b + 1] = (float)(pos / n); v[b + 2] = (float)(neg / n);
        v[b + 3] = (float)Math.Sqrt(Math.Max(0, d2 / n - (d1 / n) * (d1 / n)));
        return new FeatureMatrix(v, 1, v.Length, StatNames, [0.0]);
    }
}
