using System.Globalization;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Features;

/// <summary>CSV output in the DSP-anchors format: header row, invariant culture, round-trip floats.</summary>
public static class FeatureCsv
{
    /// <summary>
    /// Writes a header and one row per frame. <paramref name="includeTime"/> prepends a <c>time_s</c> column from
    /// <see cref="FeatureMatrix.FrameTimes"/>; <paramref name="columns"/> selects columns (null = all).
    /// Floats are written with <c>"R"</c> (shortest round-trip), doubles likewise; line ending <c>\n</c>.
    /// </summary>
    public static void Write(FeatureMatrix m, TextWriter w, bool includeTime = false, IReadOnlyList<int>? columns = null)
    {
        var cols = columns ?? Enumerable.Range(0, m.Columns).ToArray();
        var head = new List<string>();
        if (includeTime) head.Add("time_s");
        foreach (var c in cols) head.Add(m.FeatureNames[c]);
        w.Write(string.Join(",", head));
        w.Write('\n');
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < m.Rows; i++)
        {
            sb.Clear();
            if (includeTime) sb.Append(m.FrameTimes[i].ToString("R", CultureInfo.InvariantCulture));
            for (int j = 0; j < cols.Count; j++)
            {
                if (j > 0 || includeTime) sb.Append(',');
                sb.Append(m[i, cols[j]].ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
            w.Write(sb);
        }
    }

    /// <summary>Writes to a file atomically (temp file + rename), UTF-8 without BOM.</summary>
    public static void Write(FeatureMatrix m, string path, bool includeTime = false, IReadOnlyList<int>? columns = null)
    {
        AtomicFile.Write(path, stream =>
        {
            using var sw = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            Write(m, sw, includeTime, columns);
        });
    }
}
