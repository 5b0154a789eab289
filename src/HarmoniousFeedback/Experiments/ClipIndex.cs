using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// The rows of an experiment: every clip of the training dataset (and of the test dataset of a cross-dataset run,
/// ids and groups then prefixed with the dataset's name), with its group (song), label, split assignment and the
/// sources feature views read. Built from the prepared manifests — no audio is read.
/// </summary>
public sealed class ClipIndex
{
    private ClipIndex(string[] ids, string[] groups, string[] labels, string[] assignment, ViewClip[] sources, IReadOnlyList<ClipPart> parts)
    {
        Ids = ids;
        Groups = groups;
        Labels = labels;
        Assignment = assignment;
        Sources = sources;
        Parts = parts;
        ClassNames = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Ids { get; }
    public IReadOnlyList<string> Groups { get; }
    public IReadOnlyList<string> Labels { get; }
    /// <summary>Per clip: the official split (<c>train</c>, <c>val</c>, <c>test</c>, or empty when none), or <c>train</c>/<c>test</c> in a cross-dataset run.</summary>
    public IReadOnlyList<string> Assignment { get; }
    public IReadOnlyList<ViewClip> Sources { get; }
    /// <summary>Contiguous blocks of rows from one dataset (for per-dataset extraction and progress).</summary>
    public IReadOnlyList<ClipPart> Parts { get; }
    /// <summary>The distinct labels, sorted ordinally (the class order of tables and predictions).</summary>
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Ids.Count;

    public static ClipIndex From(PreparedData train, PreparedData? test)
    {
        var ids = new List<string>();
        var groups = new List<string>();
        var labels = new List<string>();
        var assignment = new List<string>();
        var sources = new List<ViewClip>();
        var parts = new List<ClipPart>();
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
                sources.Add(new ViewClip(ids[^1], clip.AudioPath!, clip.MidiPath, clip.Text));
            }
        }
        return new ClipIndex(ids.ToArray(), groups.ToArray(), labels.ToArray(), assignment.ToArray(), sources.ToArray(), parts);
    }
}
