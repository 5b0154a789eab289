namespace HarmoniousFeedback.Nn;

/// <summary>Deterministic mini-batching: epoch e of a run seeded s always yields the same batches.</summary>
public static class MiniBatches
{
    /// <summary>
    /// Index batches over n samples. With <paramref name="shuffle"/> the order is a Fisher–Yates permutation from an
    /// <see cref="NnRng"/> seeded by (seed, epoch), so resuming at an epoch reproduces its batches exactly.
    /// The last batch may be smaller unless <paramref name="dropLast"/>.
    /// </summary>
    public static IReadOnlyList<int[]> Create(int n, int batchSize, bool shuffle, int seed, int epoch, bool dropLast = false)
    {
        if (batchSize <= 0) throw new OptionsValidationException(nameof(MiniBatches), [$"batch_size = {batchSize} must be > 0"]);
        var order = shuffle ? new NnRng(unchecked((ulong)(uint)seed << 32 | (uint)epoch) ^ 0xD1B54A32D192ED03UL).Permutation(n) : Enumerable.Range(0, n).ToArray();
        var batches = new List<int[]>();
        for (int i = 0; i < n; i += batchSize)
        {
            int len = Math.Min(batchSize, n - i);
            if (dropLast && len < batchSize) break;
            batches.Add(order.AsSpan(i, len).ToArray());
        }
        return batches;
    }
}
