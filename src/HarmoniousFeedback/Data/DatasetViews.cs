using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Text;

namespace HarmoniousFeedback.Data;

/// <summary>
/// Aligned multi-view extraction for a whole dataset: <see cref="MultiViewExtractor"/> on every clip's MIDI, audio and text,
/// in parallel over clips (<see cref="MultiViewOptions.MaxDegreeOfParallelism"/>), cached (<see cref="MultiViewOptions.CacheDirectory"/>).
/// Results are in <see cref="Dataset.Clips"/> order and do not depend on the thread count. A clip whose MIDI or audio
/// cannot be used stops the run with a <see cref="DatasetException"/> naming the clip (the inner exception says why).
/// <para>Labels never enter: only <see cref="Clip.MidiPath"/>, <see cref="Clip.AudioPath"/> and <see cref="Clip.Text"/> are read.</para>
/// </summary>
public static class DatasetViews
{
    public static IReadOnlyList<ClipViews> Extract(Dataset dataset, MultiViewOptions? options = null,
                                                   IProgress<ViewProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var ex = new MultiViewExtractor(options);
        var clips = dataset.Clips;
        var result = new ClipViews[clips.Count];
        int done = 0;
        try
        {
            Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = ex.Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
            {
                var c = clips[i];
                try { result[i] = ex.Extract(new ClipSources(c.Id, c.MidiPath, c.AudioPath, c.Text)); }
                catch (HarmoniousFeedbackException e)
                {
                    throw new DatasetException($"dataset {dataset.Name}: clip '{c.Id}' (MIDI {c.MidiPath ?? "none"}, audio {c.AudioPath ?? "none"}): {e.Message}", e);
                }
                progress?.Report(new ViewProgress(Interlocked.Increment(ref done), clips.Count, c.Id));
            });
        }
        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0 && ae.InnerExceptions[0] is HarmoniousFeedbackException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
        }
        return result;
    }

    /// <summary>
    /// Clip-level features of the given views side by side, one row per clip ([clips × columns], float64, view order as
    /// given): <see cref="ViewKind.Score"/> and <see cref="ViewKind.Performance"/> read the clip rows of the symbolic view,
    /// <see cref="ViewKind.AudioRhythm"/> the audio rhythm clip row. Column names are prefixed with the view
    /// (<c>score.key_mode</c>). A clip missing a requested view raises <see cref="DatasetException"/> with its reason;
    /// <see cref="ViewKind.Text"/> has no clip row and is refused.
    /// </summary>
    public static (double[][] Features, string[] Names) ClipLevelTable(IReadOnlyList<ClipViews> views, params ViewKind[] which)
        => ClipLevelTable(views, transpositionInvariant: false, which);

    /// <summary>
    /// As <see cref="ClipLevelTable(IReadOnlyList{ClipViews}, ViewKind[])"/>; with <paramref name="transpositionInvariant"/>
    /// the score columns in <see cref="Features.Symbolic.SymbolicFeatureExtractor.TranspositionDependentColumns"/> are left out.
    /// </summary>
    public static (double[][] Features, string[] Names) ClipLevelTable(IReadOnlyList<ClipViews> views, bool transpositionInvariant, params ViewKind[] which)
    {
        ArgumentNullException.ThrowIfNull(views);
        if (which.Length == 0) throw new DatasetException("ClipLevelTable needs at least one view (Score, Performance, AudioRhythm)");
        if (which.Contains(ViewKind.Text)) throw new DatasetException("ClipLevelTable: the Text view is a token sequence, not a clip-level feature row");
        var names = new List<string>();
        var keep = new List<bool[]>();
        var dependent = Features.Symbolic.SymbolicFeatureExtractor.TranspositionDependentColumns.ToHashSet(StringComparer.Ordinal);
        foreach (var v in which)
        {
            var cols = v switch
            {
                ViewKind.Score => Features.Symbolic.SymbolicFeatureExtractor.ScoreColumns,
                ViewKind.Performance => Features.Symbolic.SymbolicFeatureExtractor.PerformanceColumns,
                _ => AudioRhythmExtractor.Columns,
            };
            var k = cols.Select(c => !(transpositionInvariant && v == ViewKind.Score && dependent.Contains(c))).ToArray();
            keep.Add(k);
            names.AddRange(cols.Where((_, j) => k[j]).Select(c => v.ToString().ToLowerInvariant() + "." + c));
        }
        var x = new double[views.Count][];
        for (int i = 0; i < views.Count; i++)
        {
            var row = new List<double>(names.Count);
            for (int w = 0; w < which.Length; w++)
            {
                var v = which[w];
                if (views[i].Missing.TryGetValue(v, out var why)) throw new DatasetException($"clip '{views[i].ClipId}' has no {v} view: {why}");
                var m = v switch
                {
                    ViewKind.Score => views[i].ScoreClip!,
                    ViewKind.Performance => views[i].PerformanceClip!,
                    _ => views[i].AudioRhythm!.Clip,
                };
                for (int j = 0; j < m.Columns; j++) if (keep[w][j]) row.Add(m[0, j]);
            }
            x[i] = [.. row];
        }
        return (x, [.. names]);
    }

    /// <summary>
    /// A <see cref="TextVocabulary"/> fitted on the text tokens of the clips at <paramref name="trainIndices"/> only (clips
    /// without text are skipped), so that the vocabulary of a fold never sees its test texts.
    /// </summary>
    public static TextVocabulary FitVocabulary(IReadOnlyList<ClipViews> views, IEnumerable<int> trainIndices, TextVocabularyOptions? options = null)
        => TextVocabulary.Fit(trainIndices.Select(i => views[i].TextTokens).Where(t => t is not null).Select(t => (IReadOnlyList<int>)t!), options);
}
