namespace HarmoniousFeedback;

/// <summary>
/// A file or folder the toolkit was asked to write cannot be written: the path names a folder where a file is expected (or
/// a file where a folder is), a parent of it is a file, or the system refuses the write. The message names the path and
/// what is wrong with it. <see cref="CheckFile"/>/<see cref="CheckFolder"/> let commands refuse such a path before any work.
/// </summary>
public sealed class OutputPathException : HarmoniousFeedbackException
{
    public string Path { get; }

    public OutputPathException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner) => Path = path;

    /// <summary>Throws when <paramref name="path"/> cannot become a file: it is empty, an existing folder, or below a file.</summary>
    public static void CheckFile(string path, string what = "output file")
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputPathException(path ?? "", $"the {what} path is empty");
        if (Directory.Exists(path))
            throw new OutputPathException(path, $"is a folder; the {what} must be a file path (e.g. {System.IO.Path.Combine(path, "features.csv")})");
        CheckParents(path, what);
    }

    /// <summary>Throws when <paramref name="path"/> cannot become a folder: it is empty, an existing file, or below a file.</summary>
    public static void CheckFolder(string path, string what = "output folder")
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputPathException(path ?? "", $"the {what} path is empty");
        if (File.Exists(path)) throw new OutputPathException(path, $"is a file; the {what} must be a folder");
        CheckParents(path, what);
    }

    private static void CheckParents(string path, string what)
    {
        for (var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) return;
            if (File.Exists(dir)) throw new OutputPathException(path, $"cannot create the {what}: {dir} is a file, not a folder");
        }
    }
}
