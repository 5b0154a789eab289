using System.Globalization;

namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// A prepared teaching-feedback folder, loaded: <see cref="Dataset"/> (clips with <see cref="Clip.Label"/> = dominant
/// issue, <see cref="Clip.Targets"/>, <see cref="Clip.Renderer"/>, <see cref="Clip.ReferenceAudioPath"/> /
/// <see cref="Clip.ReferenceMidiPath"/>, <see cref="Clip.GroupId"/> = reference group) and the typed sidecar
/// (<see cref="Labels"/>: spans of every planted deviation, per-window labels, provenance).
/// <code>
///   var fb = FeedbackCorpus.Load("data/feedback");
///   foreach (var clip in fb.Dataset.Clips)
///   {
///       var audio = clip.LoadAudio();  var reference = WavReader.Read(clip.ReferenceAudioPath!);
///       double pitch = clip.Targets!["pitch"];  string issue = clip.Label;           // targets only
///       var rendition = fb.RenditionOf(clip);                                         // deviations with start/end (s), windows
///   }
///   var split = fb.HoldOut(testRenderer: "fluidsynth", testGroupFraction: 0.25, seed: 1);
/// </code>
/// </summary>
public sealed class FeedbackDataset
{
    private readonly Dictionary<string, FeedbackRenditionRecord> _byClip;
    private readonly Dictionary<string, FeedbackReferenceRecord> _references;

    private FeedbackDataset(string directory, Dataset dataset, FeedbackLabelsFile labels)
    {
        Directory = directory;
        Dataset = dataset;
        Labels = labels;
        _references = labels.References.ToDictionary(r => r.Id, StringComparer.Ordinal);
        _byClip = new Dictionary<string, FeedbackRenditionRecord>(StringComparer.Ordinal);
        foreach (var r in labels.Renditions)
            foreach (var id in r.Clips.Values) _byClip[id] = r;
    }

    /// <summary>The prepared folder (absolute).</summary>
    public string Directory { get; }

    /// <summary>The clips, one per (rendition, renderer).</summary>
    public Dataset Dataset { get; }

    /// <summary>The sidecar <c>feedback.json</c>.</summary>
    public FeedbackLabelsFile Labels { get; }

    /// <summary>Renderer names, in the order they were given.</summary>
    public IReadOnlyList<string> Renderers => [.. Labels.Renderers.Keys];

    public IReadOnlyList<FeedbackReferenceRecord> References => Labels.References;

    public IReadOnlyList<FeedbackRenditionRecord> Renditions => Labels.Renditions;

    /// <summary>SHA-256 over the manifest's and the labels' hashes: equal for equal corpora wherever prepared.</summary>
    public string CorpusHash => Labels.CorpusHash;

    /// <summary>The rendition a clip renders (labels, deviation spans, windows).</summary>
    public FeedbackRenditionRecord RenditionOf(Clip clip) => RenditionOf(clip.Id);

    /// <summary>The rendition of the clip with id <paramref name="clipId"/>.</summary>
    public FeedbackRenditionRecord RenditionOf(string clipId)
        => _byClip.TryGetValue(clipId, out var r) ? r : throw new DatasetException($"{Directory}: clip {clipId} is not in {FeedbackLabelsFile.FileName}");

    /// <summary>The reference a clip is compared with.</summary>
    public FeedbackReferenceRecord ReferenceOf(Clip clip) => _references[RenditionOf(clip).Reference];

    /// <summary>Absolute path of <paramref name="reference"/> rendered by <paramref name="renderer"/>.</summary>
    public string ReferenceAudioPath(FeedbackReferenceRecord reference, string renderer)
        => reference.Audio.TryGetValue(renderer, out var rel) ? Path.GetFullPath(Path.Combine(Directory, rel))
            : throw new DatasetException($"{Directory}: renderer '{renderer}' is not in this corpus (have: {string.Join(", ", Renderers)})");

    /// <summary>Absolute path of <paramref name="reference"/>'s MIDI.</summary>
    public string ReferenceMidiPath(FeedbackReferenceRecord reference) => Path.GetFullPath(Path.Combine(Directory, reference.Midi));

    /// <summary>The clips rendered by <paramref name="renderer"/>.</summary>
    public IReadOnlyList<Clip> RenderedBy(string renderer)
    {
        if (!Labels.Renderers.ContainsKey(renderer))
            throw new DatasetException($"{Directory}: renderer '{renderer}' is not in this corpus (have: {string.Join(", ", Renderers)})");
        return Dataset.Clips.Where(c => c.Renderer == renderer).ToArray();
    }

    /// <summary>
    /// Holds out whole groups and a renderer (<see cref="FeedbackHoldOut"/>): the groups are shuffled with
    /// <paramref name="seed"/> (Data.DeterministicRandom) and the first round(fraction·G) — at least 1, at most G − 1 —
    /// are the test groups. Needs at least two groups and two renderers.
    /// </summary>
    public FeedbackHoldOut HoldOut(string testRenderer, double testGroupFraction = 0.25, long seed = 1)
    {
        var problems = new List<string>();
        var groups = Dataset.Clips.Select(c => c.GroupId).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!Labels.Renderers.ContainsKey(testRenderer)) problems.Add($"testRenderer = '{testRenderer}' is not one of {string.Join(", ", Renderers)}");
        if (Labels.Renderers.Count < 2) problems.Add($"a renderer can be held out only when the corpus has two or more (it has {string.Join(", ", Renderers)})");
        if (groups.Count < 2) problems.Add($"groups can be held out only when there are two or more (there are {groups.Count})");
        if (!(testGroupFraction > 0 && testGroupFraction < 1))
            problems.Add($"testGroupFraction = {testGroupFraction.ToString(CultureInfo.InvariantCulture)} must be in (0, 1)");
        if (problems.Count > 0) throw new OptionsValidationException(nameof(HoldOut), problems);
        DeterministicRandom.For(seed, "feedback-holdout", 0).Shuffle(groups);
        int k = Math.Clamp((int)Math.Round(testGroupFraction * groups.Count, MidpointRounding.AwayFromZero), 1, groups.Count - 1);
        var test = groups.Take(k).ToHashSet(StringComparer.Ordinal);
        return new FeedbackHoldOut(
            Dataset.Clips.Where(c => !test.Contains(c.GroupId) && c.Renderer != testRenderer).ToArray(),
            Dataset.Clips.Where(c => test.Contains(c.GroupId) && c.Renderer == testRenderer).ToArray(),
            [.. test.Order(StringComparer.Ordinal)], testRenderer);
    }

    /// <summary>
    /// Reads a prepared folder; a missing or hand-edited manifest or label file, or a label file written for another
    /// manifest (an interrupted write), raises <see cref="DatasetException"/> naming the file.
    /// </summary>
    public static FeedbackDataset Load(string preparedDirectory)
    {
        var dir = Path.GetFullPath(preparedDirectory);
        var manifest = Manifest.Read(dir);
        var labels = FeedbackLabelsFile.Read(dir);
        if (labels.ManifestHash != manifest.ManifestHash)
            throw new DatasetException($"{Path.Combine(dir, FeedbackLabelsFile.FileName)} was written for manifest {labels.ManifestHash[..16]}… but {Manifest.FileName} is {manifest.ManifestHash[..16]}… (an interrupted prepare?); run `hfb data prepare feedback` again");
        var ds = manifest.ToDataset(dir);
        var fb = new FeedbackDataset(dir, ds, labels);
        if (ds.Clips.FirstOrDefault(c => !fb._byClip.ContainsKey(c.Id)) is { } orphan)
            throw new DatasetException($"{dir}: clip {orphan.Id} of {Manifest.FileName} has no rendition in {FeedbackLabelsFile.FileName}");
        return fb;
    }
}
