using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

public class KernelRowCacheTests
{
    [Fact]
    public void Pooled_rows_extend_in_place_and_go_back_to_the_pool()
    {
        var pool = new KernelRowPool(10);
        var cache = new KernelRowCache(8, 64, pool);
        Assert.Equal(0, cache.GetRow(3, 4, out var row));
        Assert.Equal(10, row.Length);
        row[0] = 42;
        Assert.Equal(4, cache.GetRow(3, 8, out var longer));   // entries 4..7 still to fill
        Assert.Same(row, longer);
        Assert.Equal(42, longer[0]);
        cache.Release();
        Assert.Same(row, pool.Rent());
        // Reusable after Release: the row starts empty again.
        Assert.Equal(0, cache.GetRow(3, 2, out _));
    }

    [Theory]
    [InlineData(40, 10_000L, true)]    // whole matrix fits: pooled full-length rows
    [InlineData(40, 200L, false)]      // tight budget: LRU evictions, partial rows dropped on swaps
    [InlineData(40, 10_000L, false)]
    public void Rows_read_after_any_sequence_of_swaps_hold_the_swapped_entries(int n, long budget, bool pooled)
    {
        // Q(a, b) for original indices a, b; perm[p] = original index now at position p.
        static float Q(int a, int b) => a * 1000 + b;
        var perm = Enumerable.Range(0, n).ToArray();
        var cache = new KernelRowCache(n, budget, pooled ? new KernelRowPool(n) : null);
        var g = new SyntheticData.SplitMix64((ulong)budget + (pooled ? 1UL : 0));
        for (int step = 0; step < 5000; step++)
        {
            if (g.Uniform() < 0.4)
            {
                int i = (int)(g.Uniform() * n), j = (int)(g.Uniform() * n);
                cache.SwapIndex(i, j);
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            else
            {
                int h = (int)(g.Uniform() * n), len = 1 + (int)(g.Uniform() * n);
                int have = cache.GetRow(h, len, out var row);
                for (int t = 0; t < Math.Min(have, len); t++) Assert.Equal(Q(perm[h], perm[t]), row[t]);
                for (int t = have; t < len; t++) row[t] = Q(perm[h], perm[t]);
            }
        }
    }

    [Fact]
    public void Without_room_for_the_whole_matrix_rows_are_exact_and_least_recently_used_ones_are_evicted()
    {
        var pool = new KernelRowPool(8);
        var cache = new KernelRowCache(8, 20, pool);   // 20 < 8 × 8: libsvm's LRU mode, pool unused
        cache.GetRow(0, 8, out var r0);
        Assert.Equal(8, r0.Length);
        cache.GetRow(1, 8, out _);
        cache.GetRow(2, 8, out _);                      // evicts row 0
        Assert.Equal(0, cache.GetRow(0, 8, out _));
        Assert.Equal(8, cache.GetRow(2, 8, out _));
    }
}
