using System.Text;

namespace HarmoniousFeedback.IO;

/// <summary>
/// The toolkit's one way to write a file: readers see either the old or the complete new content, never a partial
/// file. The data go to a temporary file in the target's folder (<see cref="TempPathFor"/>:
/// <c>&lt;name&gt;.tmp-&lt;8 hex digits&gt;</c>, ignored by the repository's <c>.gitignore</c> pattern <c>*.tmp-*</c>), are
/// flushed to the disk (<see cref="FileStream.Flush(bool)"/> with <c>flushToDisk: true</c>, i.e. fsync), and the
/// temporary file is renamed over the target — an atomic replace on POSIX file systems and NTFS, because source and
/// target are in the same folder. If anything fails (the writer callback throws, the disk is full, the rename is
/// refused) the temporary file is removed and the original error propagates; the target keeps its old content.
/// Missing parent folders are created. Concurrent writers of the same target each use their own temporary file; the
/// last rename wins and every reader sees one writer's complete content.
/// </summary>
public static class AtomicFile
{
    /// <summary>What every temporary file name contains between the target's name and its random suffix.</summary>
    public const string TempMarker = ".tmp-";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// A fresh temporary path beside <paramref name="path"/>: the full target path + <see cref="TempMarker"/> + 8 random
    /// hex digits. Also used for temporary folders that are renamed into place as a whole.
    /// </summary>
    public static string TempPathFor(string path) => FullPath(path) + TempMarker + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8NoBom.GetBytes(text ?? ""));

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var (full, tmp) = Prepare(path);
        try
        {
            using (var fs = CreateTemp(tmp))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            DeleteQuietly(tmp);
            throw;
        }
    }

    /// <summary>
    /// Streams the content: <paramref name="write"/> gets a writable stream on the temporary file (it need not dispose
    /// it). Throwing from <paramref name="write"/> aborts the write and leaves the target untouched — e.g. to reject a
    /// download whose checksum does not match.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, tmp) = Prepare(path);
        try
        {
            using (var fs = CreateTemp(tmp))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            DeleteQuietly(tmp);
            throw;
        }
    }

    /// <summary>Copies <paramref name="sourcePath"/> to <paramref name="path"/> with the same guarantees.</summary>
    public static void Copy(string sourcePath, string path)
    {
        using var source = File.OpenRead(sourcePath);
        Write(path, s => source.CopyTo(s));
    }

    /// <summary>
    /// Begins a write the caller streams over time (rows appended while a long recording is read): the returned
    /// <see cref="PendingFile"/> holds the temporary file's stream; <see cref="PendingFile.Commit"/> flushes it to the disk
    /// and renames it over <paramref name="path"/>; disposing without committing removes it and leaves the target untouched.
    /// </summary>
    public static PendingFile Begin(string path)
    {
        var (full, tmp) = Prepare(path);
        return new PendingFile(full, tmp, CreateTemp(tmp));
    }

    /// <summary>Flushes <paramref name="stream"/> (the temporary file's) to the disk, closes it and renames the file over <paramref name="full"/>; on failure removes it.</summary>
    internal static void CommitTemp(FileStream stream, string tmp, string full)
    {
        try
        {
            using (stream) stream.Flush(flushToDisk: true);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            DeleteQuietly(tmp);
            throw;
        }
    }

    /// <summary>Closes <paramref name="stream"/> and removes the temporary file, quietly.</summary>
    internal static void AbortTemp(FileStream stream, string tmp)
    {
        try { stream.Dispose(); }
        catch (IOException) { } // the write already failed; the temporary file goes anyway
        DeleteQuietly(tmp);
    }

    private static string FullPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.GetFullPath(path);
    }

    private static (string Full, string Tmp) Prepare(string path)
    {
        string full = FullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return (full, TempPathFor(full));
    }

    private static FileStream CreateTemp(string tmp) => new(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);

    private static void DeleteQuietly(string tmp)
    {
        // Best effort: the original error is what the caller needs to see.
        try { File.Delete(tmp); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
