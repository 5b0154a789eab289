namespace HarmoniousFeedback.Tests;

/// <summary>Locates the repository root and the shared datasets/anchors folder (<c>../shared</c> beside the repo).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>$HFB_SHARED</c> if set, else <c>&lt;repo&gt;/../shared</c>.</summary>
    public static string SharedRoot { get; } =
        Environment.GetEnvironmentVariable("HFB_SHARED") is { Length: > 0 } env ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static bool SharedAvailable => Directory.Exists(Path.Combine(SharedRoot, "anchors"));

    public static string Shared(params string[] parts) => Path.Combine([SharedRoot, .. parts]);

    /// <summary>A fresh scratch directory under this test process's <see cref="TestTemp.Root"/>, deleted when the process exits.</summary>
    public static string TempDir(string prefix = "hfb-test") => TestTemp.Dir(prefix);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HarmoniousFeedback.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find HarmoniousFeedback.sln above " + AppContext.BaseDirectory);
    }
}
