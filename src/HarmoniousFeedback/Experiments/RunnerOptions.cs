namespace HarmoniousFeedback.Experiments;

/// <summary>Where a runner reads and writes, and how much it may use.</summary>
public sealed record RunnerOptions
{
    /// <summary>Folder prepared datasets and caches go to (default <c>data/</c>).</summary>
    public string DataRoot { get; init; } = "data";
    /// <summary>Folder run folders go to (default <c>results/</c>).</summary>
    public string ResultsRoot { get; init; } = "results";
    /// <summary>Base for relative dataset sources in the spec (the spec file's folder, or the working directory).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();
    /// <summary>Recompute every unit even when a completed one exists.</summary>
    public bool Fresh { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
}
