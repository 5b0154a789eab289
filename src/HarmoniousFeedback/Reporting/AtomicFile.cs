using System.Text;

namespace HarmoniousFeedback.Reporting;

/// <summary>
/// Writes files so that readers see either the old or the complete new content, never a partial file: the data go to
/// a temporary file in the same directory (<c>name.tmp-XXXXXXXX</c>), are flushed to disk, and the temporary file is
/// renamed over the target (an atomic replace on POSIX file systems and NTFS). The temporary file is removed on failure.
/// Missing parent directories are created.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 without BOM.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text ?? ""));

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"path '{path}' has no directory", nameof(path));
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, Path.GetFileName(full) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
