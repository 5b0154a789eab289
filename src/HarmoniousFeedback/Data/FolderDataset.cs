using System.Globalization;
using System.Text;

namespace HarmoniousFeedback.Data;

/// <summary>
/// A user's own clips: a folder with <c>clips.csv</c> whose header names the columns (any order, case-insensitive):
/// <c>path,label</c> required; <c>group</c>, <c>valence</c>, <c>arousal</c>, <c>text</c>, <c>split</c> (train/val/test) optional.
/// <c>path</c> is relative to the folder (or absolute) and names an audio file (<see cref="AudioExtensions"/>: WAV, or
/// flac/mp3/ogg/opus/m4a/aac/aiff decoded by ffmpeg when prepared) or a <c>.mid</c>/<c>.midi</c> (rendered by
/// <c>hfb data prepare</c>). Clip id = the path without extension, '/' replaced by "__" and other unsafe
/// characters by '_'. Without a group column every clip is its own group. A missing required column, a missing file,
/// an unsupported extension or an unparsable number raises <see cref="DatasetException"/> naming the file, line and column.
/// <para>Without <c>clips.csv</c>, the folder is read as one subfolder per label (torchvision's <c>ImageFolder</c> layout):
/// <c>root/&lt;label&gt;/…/file</c>, every audio or MIDI file at any depth below a label folder is a clip of that label
/// (its own group, no split), in ordinal path order; other files (notes, images) and hidden files or folders (name
/// starting with '.') are skipped, and so are files directly in the root, which have no label.</para>
/// </summary>
public static class FolderDataset
{
    public const string ListFile = "clips.csv";

    /// <summary>Audio file extensions accepted in <c>path</c>: WAV is read natively, the others are decoded by ffmpeg (<see cref="Audio.AudioFile"/>).</summary>
    public static IReadOnlyList<string> AudioExtensions { get; } = [".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aac", ".aif", ".aiff"];

    public static Dataset Load(string root, string name = "folder")
    {
        if (!Directory.Exists(root)) throw new DatasetException($"dataset folder not found: {root} (expected {ListFile} inside, or one subfolder of audio/MIDI files per label)");
        if (!File.Exists(Path.Combine(root, ListFile))) return LoadLabelFolders(root, name);
        var t = CsvTable.Read(Path.Combine(root, ListFile), "clip list");
        int pathCol = t.Require("path"), labelCol = t.Require("label");
        int groupCol = t.Find("group"), vCol = t.Find("valence"), aCol = t.Find("arousal"), textCol = t.Find("text"), splitCol = t.Find("split");
        var clips = new List<Clip>();
        foreach (var row in t.Rows)
        {
            var rel = t.Field(row, pathCol);
            var label = t.Field(row, labelCol);
            if (rel.Length == 0) throw new DatasetException($"{t.Path}: line {row.Line}: column 'path' is empty");
            if (label.Length == 0) throw new DatasetException($"{t.Path}: line {row.Line}: column 'label' is empty");
            var full = Path.GetFullPath(Path.Combine(root, rel));
            if (!File.Exists(full)) throw new DatasetException($"{t.Path}: line {row.Line}: file not found: {full}");
            var ext = Path.GetExtension(full).ToLowerInvariant();
            bool midi = ext is ".mid" or ".midi";
            if (!midi && !AudioExtensions.Contains(ext))
                throw new DatasetException($"{t.Path}: line {row.Line}: '{rel}' has extension '{ext}'; supported: {string.Join(", ", AudioExtensions)}, .mid, .midi");
            double? Num(int col, string colName)
            {
                if (col < 0) return null;
                var s = t.Field(row, col);
                if (s.Length == 0) return null;
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                    throw new DatasetException($"{t.Path}: line {row.Line}: column '{colName}' = '{s}' is not a number");
                return x;
            }
            Split? split = null;
            if (splitCol >= 0)
            {
                var s = t.Field(row, splitCol).ToLowerInvariant();
                split = s switch
                {
                    "" => null,
                    "train" => Split.Train,
                    "val" or "valid" or "validation" => Split.Validation,
                    "test" => Split.Test,
                    _ => throw new DatasetException($"{t.Path}: line {row.Line}: column 'split' = '{s}' must be train, val or test"),
                };
            }
            var id = MakeId(rel);
            var group = groupCol >= 0 ? t.Field(row, groupCol) : "";
            clips.Add(new Clip
            {
                Id = id,
                GroupId = group.Length > 0 ? group : id,
                Label = label,
                Valence = Num(vCol, "valence"),
                Arousal = Num(aCol, "arousal"),
                Text = textCol >= 0 && t.Field(row, textCol).Length > 0 ? t.Field(row, textCol) : null,
                Split = split,
                AudioPath = midi ? null : full,
                MidiPath = midi ? full : null,
            });
        }
        if (clips.Count == 0) throw new DatasetException($"{t.Path}: lists no clips");
        return new Dataset(name, Path.GetFullPath(root), clips);
    }

    /// <summary>The layout without <c>clips.csv</c>: one subfolder per label (see the type's remarks).</summary>
    private static Dataset LoadLabelFolders(string root, string name)
    {
        static bool Hidden(string path) => Path.GetFileName(path).StartsWith('.');
        var full = Path.GetFullPath(root);
        var clips = new List<Clip>();
        foreach (var labelDir in Directory.GetDirectories(full).Where(d => !Hidden(d)).Order(StringComparer.Ordinal))
        {
            string label = Path.GetFileName(labelDir);
            var files = Directory.EnumerateFiles(labelDir, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(labelDir, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var ext = Path.GetExtension(file).ToLowerInvariant();
                bool midi = ext is ".mid" or ".midi";
                if (!midi && !AudioExtensions.Contains(ext)) continue;
                var id = MakeId(Path.GetRelativePath(full, file));
                clips.Add(new Clip { Id = id, GroupId = id, Label = label, AudioPath = midi ? null : file, MidiPath = midi ? file : null });
            }
        }
        if (clips.Count == 0)
            throw new DatasetException($"{full}: no {ListFile} and no audio or MIDI files in label subfolders; write {ListFile} (columns path,label[,group,valence,arousal,text,split]) or put each label's files in a subfolder named after the label (audio: {string.Join(", ", AudioExtensions)}; MIDI: .mid, .midi)");
        return new Dataset(name, full, clips);
    }

    /// <summary>A file-name-safe id from a relative path: extension dropped, '/' → "__", characters outside [A-Za-z0-9._-] → '_'.</summary>
    public static string MakeId(string relativePath)
    {
        var p = relativePath.Replace('\\', '/');
        var dot = p.LastIndexOf('.');
        if (dot > p.LastIndexOf('/')) p = p[..dot];
        var sb = new StringBuilder();
        foreach (var part in p.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (sb.Length > 0) sb.Append("__");
            foreach (var ch in part) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_');
        }
        return sb.ToString();
    }
}
