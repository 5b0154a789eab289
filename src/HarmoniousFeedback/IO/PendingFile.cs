namespace HarmoniousFeedback.IO;

/// <summary>
/// A write in progress from <see cref="AtomicFile.Begin"/>: write to <see cref="Stream"/> (a temporary file beside the
/// target), then <see cref="Commit"/> to flush it to the disk and rename it over <see cref="Path"/> in one step. Disposing
/// without committing deletes the temporary file; the target keeps its old content (or stays absent). Not thread-safe.
/// </summary>
public sealed class PendingFile : IDisposable
{
    private readonly string _temp;
    private readonly FileStream _stream;
    private bool _done;

    internal PendingFile(string path, string temp, FileStream stream)
    {
        Path = path;
        _temp = temp;
        _stream = stream;
    }

    /// <summary>The target's full path.</summary>
    public string Path { get; }

    /// <summary>The temporary file's stream (do not dispose it; <see cref="Commit"/> and <see cref="Dispose"/> do).</summary>
    public Stream Stream => _done ? throw new OutputPathException(Path, "was already committed or abandoned; start a new write with AtomicFile.Begin") : _stream;

    /// <summary>Flushes the data to the disk and renames the temporary file over <see cref="Path"/>.</summary>
    public void Commit()
    {
        if (_done) throw new OutputPathException(Path, "was already committed or abandoned; start a new write with AtomicFile.Begin");
        _done = true;
        AtomicFile.CommitTemp(_stream, _temp, Path);
    }

    /// <summary>Without <see cref="Commit"/>: removes the temporary file.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        AtomicFile.AbortTemp(_stream, _temp);
    }
}
