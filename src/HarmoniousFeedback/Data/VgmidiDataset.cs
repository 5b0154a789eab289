using System.Globalization;

namespace HarmoniousFeedback.Data;

/// <summary>
/// Loader of the labelled part of VGMIDI (Ferreira &amp; Whitehead, ISMIR 2019): <c>vgmidi_labelled.csv</c> with columns
/// <c>id,series,console,game,piece,midi,valence,arousal</c>. The <c>midi</c> column is <c>labelled/phrases/&lt;file&gt;.mid</c>;
/// the leading <c>labelled/</c> is stripped and the rest resolved against the root. Valence and arousal are signs in
/// {−1, 1} and map to quadrants Q1 (+,+), Q2 (−,+), Q3 (−,−), Q4 (+,−). Group = <c>game/piece</c> (phrases of one piece
/// stay in one fold). Clip id = "vgmidi_&lt;id&gt;_&lt;phrase&gt;" (the <c>id</c> column names the piece and repeats for its phrases;
/// the phrase number is the file name's trailing <c>_&lt;n&gt;</c>); there is no official split and no text.
/// </summary>
public static class VgmidiDataset
{
    public const string LabelFile = "vgmidi_labelled.csv";

    /// <summary>Quadrant of a (valence, arousal) pair by sign: Q1 (+,+), Q2 (−,+), Q3 (−,−), Q4 (+,−); zero counts as positive.</summary>
    public static string Quadrant(double valence, double arousal)
        => valence >= 0 ? (arousal >= 0 ? "Q1" : "Q4") : (arousal >= 0 ? "Q2" : "Q3");

    public static Dataset Load(string root)
    {
        if (!Directory.Exists(root)) throw new DatasetException($"VGMIDI folder not found: {root} (expected {LabelFile} and phrases/ inside)");
        var t = CsvTable.Read(Path.Combine(root, LabelFile), "VGMIDI label file");
        int idCol = t.Require("id"), gameCol = t.Require("game"), pieceCol = t.Require("piece"), midiCol = t.Require("midi"),
            vCol = t.Require("valence"), aCol = t.Require("arousal");
        var clips = new List<Clip>();
        foreach (var row in t.Rows)
        {
            string id = t.Field(row, idCol);
            double Sign(int col, string name)
            {
                var s = t.Field(row, col);
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                    throw new DatasetException($"{t.Path}: line {row.Line}: {name} = '{s}' is not a number");
                return x;
            }
            double v = Sign(vCol, "valence"), a = Sign(aCol, "arousal");
            var rel = t.Field(row, midiCol).Replace('\\', '/');
            if (rel.StartsWith("labelled/", StringComparison.Ordinal)) rel = rel["labelled/".Length..];
            var midi = Path.Combine(root, rel);
            if (!File.Exists(midi)) throw new DatasetException($"{t.Path}: line {row.Line}: midi file not found: {midi}");
            // The id column names the piece (phrases of one piece share it); the file's trailing _<n> is the phrase.
            var stem = Path.GetFileNameWithoutExtension(rel);
            int us = stem.LastIndexOf('_');
            string phrase = us >= 0 && stem[(us + 1)..].All(char.IsAsciiDigit) && us + 1 < stem.Length ? stem[(us + 1)..] : FolderDataset.MakeId(stem);
            clips.Add(new Clip
            {
                Id = "vgmidi_" + FolderDataset.MakeId(id) + "_" + phrase,
                GroupId = t.Field(row, gameCol) + "/" + t.Field(row, pieceCol),
                Label = Quadrant(v, a),
                Valence = Math.Sign(v),
                Arousal = Math.Sign(a),
                MidiPath = Path.GetFullPath(midi),
            });
        }
        return new Dataset("vgmidi", Path.GetFullPath(root), clips, Dataset.Quadrants);
    }
}
