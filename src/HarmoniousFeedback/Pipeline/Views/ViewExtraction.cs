namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>Where and how a view's values are computed: the feature cache, the thread budget, progress and cancellation.</summary>
public sealed record ViewExtraction
{
    /// <summary>Folder of the on-disk feature cache (content-addressed: audio/MIDI hash + options); null = no cache.</summary>
    public string? CacheDirectory { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>A human-readable stage message ("extracting 50-dim LLD segment features (400 clips)").</summary>
    public Action<string>? Stage { get; init; }
    /// <summary>Progress of a task: (task, done, total).</summary>
    public Action<string, int, int>? Progress { get; init; }
    /// <summary>A name for the clip set in progress messages (e.g. the dataset's).</summary>
    public string Label { get; init; } = "";
    public CancellationToken Cancellation { get; init; }
}
