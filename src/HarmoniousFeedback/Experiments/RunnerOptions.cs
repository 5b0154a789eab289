namespace HarmoniousFeedback.Experiments;

/// <summary>Where a runner reads and writes, and how much it may use.</summary>
public sealed record RunnerOptions
{
    /// <summary>Folder prepared datasets and caches go to (default <c>data/</c>).</summary>
    public string DataRoot { get; init; } = "data";
    /// <summary>Folder run folders go to (default <c>results/</c>).</summary>
    public string ResultsRoot { get; init; } = "results";
    /// <summary>Base for relative dataset sources of a spec that was not read from a file (a spec file's own folder wins), and where the git commit is looked up.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>Recompute every unit even when a completed one exists.</summary>
    public bool Fresh { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>
    /// Units trained at the same time (default: <see cref="Threads"/>). Results do not depend on it: every compute
    /// kernel splits its work by shape only, and a unit whose kernel finds the thread pool busy runs that kernel alone
    /// with the same result — so small units (LSTMs on short sequences, classical fits) fill both cores.
    /// </summary>
    public int ParallelUnits { get; init; } = Environment.ProcessorCount;
}
