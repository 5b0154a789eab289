using System.Globalization;
using System.Text;
using HarmoniousFeedback.IO;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Writes a feature CSV in the format of <see cref="FeatureCsv"/> (header row, <c>\n</c>, invariant culture, <c>"R"</c>
/// round-trip floats, optional <c>time_s</c> column, optional column selection) block by block, so that the rows of a long
/// recording never need to be in memory together. The rows go to a temporary file beside the target
/// (<see cref="AtomicFile.Begin"/>); <see cref="Commit"/> renames it over the target, and disposing without a commit (an
/// error, a cancellation) deletes it: the target is either untouched or complete, and no temporary file is left behind.
/// Paths that cannot be written are an <see cref="OutputPathException"/>.
/// </summary>
public sealed class FeatureCsvWriter : IDisposable
{
    private readonly string _target;
    private PendingFile? _pending;
    private readonly bool _time;
    private readonly int[] _columns;
    private readonly int _width;
    private StreamWriter? _writer;
    private readonly StringBuilder _line = new();

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Starts a CSV for rows with <paramref name="featureNames"/>; <paramref name="columns"/> selects and orders columns (null =
    /// all). The header is written at once.
    /// </summary>
    public FeatureCsvWriter(string path, IReadOnlyList<string> featureNames, bool includeTime = false, IReadOnlyList<int>? columns = null)
    {
        OutputPathException.CheckFile(path, "CSV file");
        _target = Path.GetFullPath(path);
        _time = includeTime;
        _width = featureNames.Count;
        _columns = columns?.ToArray() ?? Enumerable.Range(0, featureNames.Count).ToArray();
        foreach (var c in _columns)
            if ((uint)c >= (uint)featureNames.Count) throw new ShapeMismatchException($"column {c} selected from {featureNames.Count} feature columns");
        try
        {
            _pending = AtomicFile.Begin(_target);
            _writer = new StreamWriter(_pending.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            var head = new List<string>();
            if (includeTime) head.Add("time_s");
            foreach (var c in _columns) head.Add(featureNames[c]);
            _writer.Write(string.Join(",", head));
            _writer.Write('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abort();
            throw new OutputPathException(path, "cannot be written: " + e.Message, e);
        }
    }

    /// <summary>Appends the rows of <paramref name="rows"/> (its columns must be the ones given to the constructor).</summary>
    public void Append(FeatureMatrix rows)
    {
        var w = _writer ?? throw new InvalidOperationException("the CSV was already committed or disposed");
        if (rows.Columns != _width) throw new ShapeMismatchException($"rows have {rows.Columns} columns, the CSV was started for {_width}");
        try
        {
            for (int i = 0; i < rows.Rows; i++)
            {
                _line.Clear();
                if (_time) _line.Append(rows.FrameTimes[i].ToString("R", CultureInfo.InvariantCulture));
                for (int j = 0; j < _columns.Length; j++)
                {
                    if (j > 0 || _time) _line.Append(',');
                    _line.Append(rows[i, _columns[j]].ToString("R", CultureInfo.InvariantCulture));
                }
                _line.Append('\n');
                w.Write(_line);
            }
        }
        catch (IOException e) { throw new OutputPathException(_target, "cannot be written: " + e.Message, e); }
        Rows += rows.Rows;
    }

    /// <summary>Finishes the file and renames it over the target.</summary>
    public void Commit()
    {
        var w = _writer ?? throw new InvalidOperationException("the CSV was already committed or disposed");
        try
        {
            w.Flush();
            w.Dispose();
            _writer = null;
            _pending!.Commit(); // fsync + rename over the target (IO.AtomicFile)
            _pending = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abort();
            throw new OutputPathException(_target, "cannot be written: " + e.Message, e);
        }
    }

    /// <summary>Without <see cref="Commit"/>: deletes the temporary file; the target keeps its old content (or stays absent).</summary>
    public void Dispose() => Abort();

    private void Abort()
    {
        try { _writer?.Dispose(); } catch (IOException) { } // the write already failed; the temp file goes anyway
        _writer = null;
        _pending?.Dispose(); // removes the temporary file
        _pending = null;
    }
}
