using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HarmoniousFeedback.Data;

/// <summary>
/// Loader of EMOPIA 1.0 (Hung et al., ISMIR 2021; Zenodo record 5090631) in the archive's own layout:
/// <list type="bullet">
/// <item><c>label.csv</c> (<c>ID,4Q,annotator</c>): the quadrant of each clip. The label must agree with the <c>Q{n}_</c>
/// prefix of the ID (checked; a disagreement raises <see cref="DatasetException"/>).</item>
/// <item><c>midis/&lt;ID&gt;.mid</c>: the clip's MIDI (must exist).</item>
/// <item><c>split/{train,val,test}_clip.csv</c> (<c>clip_name</c> column, e.g. <c>Q3_0EWWyyV7RJA_0.mid</c>): the official,
/// song-disjoint split. Without a <c>split/</c> folder clips get no split; a clip in two splits is an error.</item>
/// <item>Group = the YouTube id of the song: the ID minus its <c>Q{n}_</c> prefix and <c>_{clip}</c> suffix (YouTube ids
/// may contain '_'). Cross-checked against <c>metadata_by_song.csv</c> (<c>songID,num_Q1..num_Q4</c>) when present.</item>
/// <item><c>text.jsonl</c> (one JSON object per song: <c>song,title,tags,description</c>): <see cref="Clip.Text"/> =
/// title, a newline, the tags joined by ", ", a newline, the description. It is per song, so it cannot encode the
/// clip's label (a song can have clips in several quadrants); 31 of the 387 songs have no entry (Text = null).</item>
/// </list>
/// Clip ids keep the file name (so they contain the label); models must only see audio, MIDI content and text.
/// </summary>
public static partial class EmopiaDataset
{
    [GeneratedRegex(@"^Q([1-4])_(.+)_(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ClipIdPattern();

    /// <summary>Loads the dataset rooted at <paramref name="root"/> (the folder holding <c>label.csv</c> and <c>midis/</c>).</summary>
    public static Dataset Load(string root)
    {
        if (!Directory.Exists(root)) throw new DatasetException($"EMOPIA folder not found: {root} (expected label.csv, midis/, split/ inside; `hfb data fetch emopia` downloads it)");
        var labels = CsvTable.Read(Path.Combine(root, "label.csv"), "EMOPIA label file");
        int idCol = labels.Require("ID"), qCol = labels.Require("4Q");
        var splits = ReadSplits(root);
        var texts = ReadTexts(Path.Combine(root, "text.jsonl"));
        var clips = new List<Clip>();
        foreach (var row in labels.Rows)
        {
            string id = labels.Field(row, idCol), q = labels.Field(row, qCol);
            var m = ClipIdPattern().Match(id);
            if (!m.Success) throw new DatasetException($"{labels.Path}: line {row.Line}: ID '{id}' is not of the form Q<1-4>_<youtubeId>_<clip>");
            if (q != m.Groups[1].Value)
                throw new DatasetException($"{labels.Path}: line {row.Line}: column 4Q says {q} but the ID '{id}' says Q{m.Groups[1].Value}");
            var midi = Path.Combine(root, "midis", id + ".mid");
            if (!File.Exists(midi)) throw new DatasetException($"{labels.Path}: line {row.Line}: MIDI file of clip {id} not found: {midi}");
            string song = m.Groups[2].Value;
            clips.Add(new Clip
            {
                Id = id,
                GroupId = song,
                Label = "Q" + q,
                MidiPath = Path.GetFullPath(midi),
                Text = texts.GetValueOrDefault(song),
                Split = splits?.GetValueOrDefault(id),
            });
        }
        if (splits is not null)
        {
            var ids = clips.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var name in splits.Keys.Order(StringComparer.Ordinal))
                if (!ids.Contains(name)) throw new DatasetException($"{Path.Combine(root, "split")}: clip {name} is listed in a split but not in label.csv");
        }
        CheckSongs(Path.Combine(root, "metadata_by_song.csv"), clips);
        return new Dataset("emopia", Path.GetFullPath(root), clips, Dataset.Quadrants);
    }

    private static Dictionary<string, Split>? ReadSplits(string root)
    {
        var dir = Path.Combine(root, "split");
        if (!Directory.Exists(dir)) return null;
        var result = new Dictionary<string, Split>(StringComparer.Ordinal);
        foreach (var (file, split) in new[] { ("train_clip.csv", Split.Train), ("val_clip.csv", Split.Validation), ("test_clip.csv", Split.Test) })
        {
            var t = CsvTable.Read(Path.Combine(dir, file), "EMOPIA split file");
            int col = t.Require("clip_name");
            foreach (var row in t.Rows)
            {
                var name = t.Field(row, col);
                if (name.EndsWith(".mid", StringComparison.OrdinalIgnoreCase)) name = name[..^4];
                if (!result.TryAdd(name, split))
                    throw new DatasetException($"{t.Path}: line {row.Line}: clip {name} is already in the {result[name]} split");
            }
        }
        return result;
    }

    private static Dictionary<string, string> ReadTexts(string path)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return texts;
        int line = 0;
        foreach (var l in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(l)) continue;
            try
            {
                using var doc = JsonDocument.Parse(l);
                var o = doc.RootElement;
                var song = o.GetProperty("song").GetString() ?? throw new DatasetException($"{path}: line {line}: 'song' is null");
                string Str(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
                var tags = o.TryGetProperty("tags", out var tv) && tv.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", tv.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()))
                    : "";
                texts[song] = $"{Str("title")}\n{tags}\n{Str("description")}";
            }
            catch (JsonException e) { throw new DatasetException($"{path}: line {line}: not valid JSON ({e.Message})", e); }
            catch (KeyNotFoundException e) { throw new DatasetException($"{path}: line {line}: missing field 'song'", e); }
        }
        return texts;
    }

    private static void CheckSongs(string path, List<Clip> clips)
    {
        if (!File.Exists(path)) return;
        var t = CsvTable.Read(path, "EMOPIA song metadata");
        int songCol = t.Require("songID");
        var qCols = Enumerable.Range(1, 4).Select(q => t.Require("num_Q" + q)).ToArray();
        var actual = clips.GroupBy(c => c.GroupId).ToDictionary(g => g.Key, g => g.ToList());
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in t.Rows)
        {
            var song = t.Field(row, songCol);
            listed.Add(song);
            actual.TryGetValue(song, out var have);
            for (int q = 1; q <= 4; q++)
            {
                var s = t.Field(row, qCols[q - 1]);
                if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
                    throw new DatasetException($"{path}: line {row.Line}: num_Q{q} = '{s}' is not an integer");
                int count = have?.Count(c => c.Label == "Q" + q) ?? 0;
                if (n != count)
                    throw new DatasetException($"{path}: line {row.Line}: song {song} lists {n} Q{q} clips but label.csv has {count}");
            }
        }
        var missing = actual.Keys.Where(k => !listed.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0) throw new DatasetException($"{path}: songs {string.Join(", ", missing.Take(5))} of label.csv are not listed");
    }
}
