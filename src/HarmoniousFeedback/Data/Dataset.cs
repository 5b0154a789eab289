using HarmoniousFeedback.Midi;

namespace HarmoniousFeedback.Data;

/// <summary>
/// A named list of <see cref="Clip"/>s with their class names. Produced by a loader (<see cref="EmopiaDataset"/>,
/// <see cref="VgmidiDataset"/>, <see cref="FolderDataset"/>, <see cref="SyntheticCorpus"/>) or read back from a prepared
/// folder (<see cref="Load"/>). Clips are in a deterministic order (sorted by id).
/// </summary>
public sealed class Dataset
{
    /// <summary>The four Russell quadrants used by EMOPIA, VGMIDI and the synthetic corpus.</summary>
    public static IReadOnlyList<string> Quadrants { get; } = ["Q1", "Q2", "Q3", "Q4"];

    public string Name { get; }

    /// <summary>Where the data came from (a folder, or "synthetic:seed=…").</summary>
    public string Source { get; }

    public IReadOnlyList<Clip> Clips { get; }

    /// <summary>Class names in label-index order (index i ↔ <c>ClassNames[i]</c>).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Scores generated in memory, by clip id (the synthetic corpus); renderers use them instead of parsing the MIDI file,
    /// which holds the same score. Empty for file-based datasets.
    /// </summary>
    public IReadOnlyDictionary<string, MidiScore> Scores { get; }

    /// <summary>The manifest this dataset was loaded from (prepared folders), else null.</summary>
    public Manifest? Manifest { get; }

    public Dataset(string name, string source, IEnumerable<Clip> clips, IReadOnlyList<string>? classNames = null,
                   IReadOnlyDictionary<string, MidiScore>? scores = null, Manifest? manifest = null)
    {
        Name = name;
        Source = source;
        Clips = clips.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        ClassNames = classNames ?? Clips.Select(c => c.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        Scores = scores ?? new Dictionary<string, MidiScore>();
        Manifest = manifest;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in Clips)
        {
            if (!seen.Add(c.Id)) throw new DatasetException($"dataset {name} ({source}): clip id '{c.Id}' occurs more than once");
            if (!ClassNames.Contains(c.Label)) throw new DatasetException($"dataset {name} ({source}): clip {c.Id} has label '{c.Label}' which is not one of the classes {string.Join(", ", ClassNames)}");
        }
    }

    /// <summary>
    /// A deterministic subset with at most <paramref name="perClass"/> clips per class, for quick looks and notebooks:
    /// songs (groups) in id order, whole songs only (a song is kept only when every one of its clips still fits its
    /// class's budget), first songs first. Generated scores of kept clips come along.
    /// </summary>
    public Dataset WithAtMostPerClass(int perClass)
    {
        if (perClass < 1) throw new DatasetException($"dataset {Name}: at most {perClass} clips per class; it must be >= 1");
        var kept = new List<Clip>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var song in Clips.GroupBy(c => c.GroupId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var clips = song.ToList();
            if (clips.All(c => counts.GetValueOrDefault(c.Label) < perClass))
            {
                kept.AddRange(clips);
                foreach (var c in clips) counts[c.Label] = counts.GetValueOrDefault(c.Label) + 1;
            }
        }
        var ids = kept.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return new Dataset(Name, Source, kept, ClassNames, Scores.Where(kv => ids.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    /// <summary>Index of <see cref="Clip.Label"/> in <see cref="ClassNames"/>.</summary>
    public int LabelIndex(Clip clip) => IndexOf(ClassNames, clip.Label);

    /// <summary>Clips per class, in <see cref="ClassNames"/> order.</summary>
    public IReadOnlyDictionary<string, int> ClassCounts()
        => ClassNames.ToDictionary(n => n, n => Clips.Count(c => c.Label == n));

    /// <summary>The clips of one split.</summary>
    public IReadOnlyList<Clip> InSplit(Split split) => Clips.Where(c => c.Split == split).ToArray();

    /// <summary>Reads a prepared folder (its <c>manifest.json</c>, see <see cref="Data.Manifest"/>).</summary>
    public static Dataset Load(string preparedDirectory) => Data.Manifest.Read(preparedDirectory).ToDataset(preparedDirectory);

    private static int IndexOf(IReadOnlyList<string> list, string s)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == s) return i;
        return -1;
    }
}
