namespace HarmoniousFeedback.Features;

/// <summary>Controls how many threads frame-parallel feature code uses (results do not depend on it).</summary>
public static class FeatureParallelism
{
    private static int _max = Environment.ProcessorCount;

    /// <summary>Maximum worker threads for one extraction (default: processor count). 1 = sequential.</summary>
    public static int MaxDegreeOfParallelism
    {
        get => _max;
        set => _max = value >= 1 ? value : throw new FeatureParameterException(nameof(FeatureParallelism), [$"MaxDegreeOfParallelism = {value} must be >= 1"]);
    }

    /// <summary>Frames per work item: below this a signal is processed on the calling thread.</summary>
    public const int Grain = 256;

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, count) in blocks of <see cref="Grain"/>, in parallel when worthwhile.
    /// The blocks are the same whatever the thread count (one thread runs them in order), so a body that keeps state
    /// within a block (the pitch tracker's energy prefix, the formant tracker's warm start) gives the same results on one
    /// thread as on many, and a caller that starts at a multiple of <see cref="Grain"/> frames (streaming extraction)
    /// gets the blocks of a whole-signal run.
    /// </summary>
    internal static void For(int count, Action<int, int> body)
    {
        int blocks = (count + Grain - 1) / Grain;
        if (blocks <= 1 || _max == 1)
        {
            for (int b = 0; b < blocks; b++) body(b * Grain, Math.Min(count, (b + 1) * Grain));
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = _max },
            b => body(b * Grain, Math.Min(count, (b + 1) * Grain)));
    }
}
