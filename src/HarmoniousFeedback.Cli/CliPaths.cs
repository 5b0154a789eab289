namespace HarmoniousFeedback.Cli;

/// <summary>Checks of the files and folders a command is given, made before any work so that a wrong path is one clear line.</summary>
public static class CliPaths
{
    /// <summary>
    /// <paramref name="path"/> (given with <paramref name="flag"/>) must be an existing file: a folder or a missing path is an
    /// <see cref="OptionsValidationException"/> saying which, and what the flag expects.
    /// </summary>
    public static void RequireFile(string path, string flag, string expected)
    {
        if (Directory.Exists(path))
            throw new OptionsValidationException(flag, [$"{flag} '{path}' is a folder; it must be {expected}"]);
        if (!File.Exists(path))
            throw new OptionsValidationException(flag, [$"{flag} '{path}' does not exist; it must be {expected}"]);
    }

    /// <summary><paramref name="path"/> must be an existing folder (not a file, not missing).</summary>
    public static void RequireFolder(string path, string flag, string expected)
    {
        if (File.Exists(path))
            throw new OptionsValidationException(flag, [$"{flag} '{path}' is a file; it must be {expected}"]);
        if (!Directory.Exists(path))
            throw new OptionsValidationException(flag, [$"{flag} '{path}' does not exist; it must be {expected}"]);
    }
}
