namespace HarmoniousFeedback.IO;

/// <summary>
/// Reads a whole input file into memory the way the audio and MIDI readers need it, with every failure reported through
/// the caller's typed exception: a folder, a missing file, no permission, an I/O error, and files that never end.
/// <see cref="File.ReadAllBytes"/> reads a file whose size is 0 (a device such as <c>/dev/zero</c>, a pipe) until its end,
/// which for <c>/dev/zero</c> never comes (the process ran out of memory); here a seekable file is read up to the size it
/// reports (so <c>/dev/zero</c> is empty), and an unseekable one (a pipe, <c>&lt;(…)</c>) to its end, at most
/// <see cref="Array.MaxLength"/> bytes.
/// </summary>
public static class InputFile
{
    /// <summary>
    /// The bytes of <paramref name="path"/>; <paramref name="error"/>(problem, inner) builds the exception to throw, naming
    /// the file; <paramref name="kind"/> says what the file should be ("an audio file", "a MIDI file").
    /// </summary>
    public static byte[] ReadAllBytes(string path, string kind, Func<string, Exception?, HarmoniousFeedbackException> error)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(error);
        if (Directory.Exists(path)) throw error($"is a folder, not {kind}", null);
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            if (f.CanSeek)
            {
                long length = f.Length;
                if (length > Array.MaxLength)
                    throw error($"file is {length} bytes; at most {Array.MaxLength} bytes (2 GiB) are read into memory — split it first", null);
                var bytes = new byte[length];
                int got = f.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                return got == bytes.Length ? bytes : bytes[..got]; // the file shrank while it was read
            }
            using var m = new MemoryStream();
            f.CopyTo(m);
            return m.ToArray();
        }
        catch (FileNotFoundException e) { throw error("file not found", e); }
        catch (DirectoryNotFoundException e) { throw error("file not found", e); }
        catch (UnauthorizedAccessException e) { throw error("file cannot be read (permission denied)", e); }
        catch (IOException e) { throw error("file cannot be read: " + e.Message, e); }
    }
}
