using HarmoniousFeedback.Data;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The rows of an experiment: every clip of the training dataset (and of the test dataset of a cross-dataset run,
/// ids and groups then prefixed with the dataset's name), with its group (song), label, split assignment and the
/// sources feature views read. Built from the prepared manifests — no audio is read.
/// </summary>
public sealed class ClipIndex
{
    private ClipIndex(string[] ids, string[] groups, string[] labels, string[] assignment, ViewClip[] sources, IReadOnlyList<ClipPart> parts,
                      string?[] renderers, FeedbackTargets?[] targets)
    {
        Renderers = renderers;
        FeedbackTargets = targets;
        Ids = ids;
        Groups = groups;
        Labels = labels;
        Assignment = assignment;
        Sources = sources;
        Parts = parts;
        // A teaching-feedback corpus has a fixed label space (the six dimensions and "none"): an HFN scores all seven even
        // when a small corpus plants no deviation of some dimension.
        ClassNames = labels.Concat(targets.Any(t => t is not null) ? HarmoniousFeedbackNetwork.IssueClasses : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Ids { get; }
    public IReadOnlyList<string> Groups { get; }
    public IReadOnlyList<string> Labels { get; }
    /// <summary>Per clip: the official split (<c>train</c>, <c>val</c>, <c>test</c>, or empty when none), or <c>train</c>/<c>test</c> in a cross-dataset run.</summary>
    public IReadOnlyList<string> Assignment { get; }
    public IReadOnlyList<ViewClip> Sources { get; }
    /// <summary>Contiguous blocks of rows from one dataset (for per-dataset extraction and progress).</summary>
    public IReadOnlyList<ClipPart> Parts { get; }
    /// <summary>The distinct labels — for a teaching-feedback corpus all seven issue classes — sorted ordinally (the class order of tables and predictions).</summary>
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Ids.Count;
    /// <summary>Per clip: the renderer that made its audio when the dataset mixes renderers (the teaching-feedback corpus), else null.</summary>
    public IReadOnlyList<string?> Renderers { get; }
    /// <summary>Per clip: its teaching-feedback labels by construction (scores, emotional targets, deviation spans), else null.</summary>
    public IReadOnlyList<FeedbackTargets?> FeedbackTargets { get; }
    /// <summary>True when every clip has teaching-feedback targets (the experiment then reports the feedback metrics).</summary>
    public bool HasFeedbackTargets => FeedbackTargets.Count > 0 && FeedbackTargets.All(t => t is not null);

    public static ClipIndex From(PreparedData train, PreparedData? test)
    {
        var ids = new List<string>();
        var groups = new List<string>();
        var labels = new List<string>();
        var assignment = new List<string>();
        var sources = new List<ViewClip>();
        var parts = new List<ClipPart>();
        var renderers = new List<string?>();
        var targets = new List<FeedbackTargets?>();
        foreach (var (data, part) in new[] { (train, "train"), (test, "test") })
        {
            if (data is null) continue;
            bool prefix = test is not null;
            var dataset = data.Manifest.ToDataset(data.Directory);
            var byId = dataset.Clips.ToDictionary(c => c.Id, StringComparer.Ordinal);
            parts.Add(new ClipPart(data.Name, ids.Count, data.Manifest.Clips.Count));
            foreach (var c in data.Manifest.Clips)
            {
                var clip = byId[c.Id];
                ids.Add(prefix ? $"{data.Name}:{c.Id}" : c.Id);
                groups.Add(prefix ? $"{data.Name}:{c.Group}" : c.Group);
                labels.Add(c.Label);
                assignment.Add(test is not null ? part : c.Split ?? "");
                sources.Add(new ViewClip(ids[^1], clip.AudioPath!, clip.MidiPath, clip.Text, clip.ReferenceAudioPath, clip.ReferenceMidiPath));
                renderers.Add(clip.Renderer);
                targets.Add(data.Feedback is { } fb ? TargetsOf(clip, fb) : null);
            }
        }
        return new ClipIndex(ids.ToArray(), groups.ToArray(), labels.ToArray(), assignment.ToArray(), sources.ToArray(), parts, renderers.ToArray(), targets.ToArray());
    }

    /// <summary>A corpus clip's labels: the six scores and six emotional targets from <see cref="Clip.Targets"/>, the spans of its rendition's deviations.</summary>
    /// <exception cref="DatasetException">A clip without a target the model reads, or a deviation of an unknown dimension.</exception>
    public static FeedbackTargets TargetsOf(Clip clip, FeedbackDataset fb)
    {
        var t = clip.Targets ?? throw new DatasetException($"{fb.Directory}: clip {clip.Id} has no targets in {Manifest.FileName}");
        float Get(string name) => t.TryGetValue(name, out var v) ? (float)v
            : throw new DatasetException($"{fb.Directory}: clip {clip.Id} lacks target '{name}' (has: {string.Join(", ", t.Keys)})");
        var rendition = fb.RenditionOf(clip);
        var spans = rendition.Deviations
            .Select(d => new FeedbackSpan(HarmoniousFeedbackNetwork.Dimensions.ToList().IndexOf(d.Dimension), d.Start, d.End, d.Severity, d.Localised))
            .ToArray();
        if (spans.FirstOrDefault(s => s.Dimension < 0) is { } bad)
            throw new DatasetException($"{fb.Directory}: rendition {rendition.Id} has a deviation of an unknown dimension");
        return new FeedbackTargets(clip.Label, HarmoniousFeedbackNetwork.Dimensions.Select(Get).ToArray(), HarmoniousFeedbackNetwork.EmotionTargets.Select(Get).ToArray(), spans);
    }
}
