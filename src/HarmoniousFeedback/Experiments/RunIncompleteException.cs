namespace HarmoniousFeedback.Experiments;

/// <summary>A run was summarised before all its units completed; lists the missing ones and how to finish them.</summary>
public sealed class RunIncompleteException : HarmoniousFeedbackException
{
    public RunIncompleteException(string runFolder, IReadOnlyList<string> missing, int total)
        : base($"run {runFolder} is missing {missing.Count} of {total} units ({string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}); run the same command again to compute them (completed units are reused)")
    {
        RunFolder = runFolder;
        Missing = missing;
    }

    public string RunFolder { get; }
    public IReadOnlyList<string> Missing { get; }
}
