using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Symbolic;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Score and performance features of many clips for the symbolic views: <see cref="MultiViewExtractor"/> on each clip's
/// MIDI with the clip's rendered audio fixing the segment grid (segmentation copied from the LLD options), in parallel
/// over clips (results in clip order, independent of the thread count), cached on disk. A clip whose MIDI cannot be
/// used stops extraction with a <see cref="DatasetException"/> naming the clip.
/// </summary>
internal static class SymbolicExtraction
{
    public const string NoMidi = "has no MIDI (audio-only source); score and performance views need a symbolic source and no transcription is attempted";

    public static SymbolicFeatures[] Extract(IReadOnlyList<ViewClip> clips, LldSegmentsViewOptions segments, ViewExtraction x)
    {
        var ex = new MultiViewExtractor(new MultiViewOptions
        {
            CacheDirectory = x.CacheDirectory, MaxDegreeOfParallelism = Math.Max(1, x.Threads), AudioRhythmFor = AudioRhythmPolicy.Never,
        }.AlignedWith(segments.ToLldOptions()));
        var result = new SymbolicFeatures[clips.Count];
        int done = 0;
        x.Stage?.Invoke($"extracting score and performance features ({clips.Count} clips)");
        try
        {
            Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, x.Threads), CancellationToken = x.Cancellation }, i =>
            {
                var c = clips[i];
                if (c.MidiPath is null) throw new DatasetException($"clip '{c.Id}' {NoMidi}");
                ClipViews v;
                try { v = ex.Extract(new ClipSources(c.Id, c.MidiPath, c.AudioPath, null)); }
                catch (HarmoniousFeedbackException e) when (e is not DatasetException)
                {
                    throw new DatasetException($"clip '{c.Id}' (MIDI {c.MidiPath}, audio {c.AudioPath}): {e.Message}", e);
                }
                result[i] = v.Symbolic!;
                x.Progress?.Invoke($"symbolic {x.Label}", Interlocked.Increment(ref done), clips.Count);
            });
        }
        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0 && ae.InnerExceptions[0] is HarmoniousFeedbackException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
        }
        return result;
    }

    /// <summary>The column indices a symbolic view keeps (null = all).</summary>
    public static int[]? Kept(SymbolicPart part, bool transpositionInvariant)
    {
        if (part != SymbolicPart.Score || !transpositionInvariant) return null;
        var dependent = SymbolicFeatureExtractor.TranspositionDependentColumns.ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, SymbolicFeatureExtractor.ScoreColumns.Count).Where(j => !dependent.Contains(SymbolicFeatureExtractor.ScoreColumns[j])).ToArray();
    }

    /// <summary>The column names of a symbolic view.</summary>
    public static IReadOnlyList<string> Columns(SymbolicPart part, bool transpositionInvariant)
    {
        var all = part == SymbolicPart.Score ? SymbolicFeatureExtractor.ScoreColumns : SymbolicFeatureExtractor.PerformanceColumns;
        return Kept(part, transpositionInvariant) is { } keep ? keep.Select(j => all[j]).ToArray() : all;
    }
}
