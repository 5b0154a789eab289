using HarmoniousFeedback.Dsp;
using Xunit;

namespace HarmoniousFeedback.Tests.Dsp;

public sealed class DtwTests
{
    [Fact]
    public void Dtw_follows_the_diagonal_when_it_is_the_only_zero_cost_path()
    {
        int n = 6;
        var c = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i * n + j] = i == j ? 0f : 1f;
        var (q, r, cost) = Dtw.Align(c, n, n);
        Assert.Equal(Enumerable.Range(0, n), q);
        Assert.Equal(Enumerable.Range(0, n), r);
        Assert.Equal(0, cost);
    }

    [Theory]
    [InlineData(3, 4, 0.0, 1)]
    [InlineData(4, 3, 0.3, 2)]
    [InlineData(5, 5, 0.1, 3)]
    public void Dtw_accumulated_cost_equals_the_cheapest_of_all_monotone_paths_found_by_exhaustive_search(int n, int m, double penalty, int seed)
    {
        var rng = new Random(seed);
        var c = Enumerable.Range(0, n * m).Select(_ => (float)rng.NextDouble()).ToArray();
        var (q, r, cost) = Dtw.Align(c, n, m, penalty);
        Assert.Equal(Brute(c, n, m, penalty, 0, 0), cost, 1e-9);
        // the returned path's own cost is the reported cost
        double own = c[0];
        for (int k = 1; k < q.Length; k++)
            own += c[q[k] * m + r[k]] + (q[k] - q[k - 1] == 1 && r[k] - r[k - 1] == 1 ? 0 : penalty);
        Assert.Equal(cost, own, 1e-9);
    }

    private static double Brute(float[] c, int n, int m, double penalty, int i, int j)
    {
        double here = c[i * m + j];
        if (i == n - 1 && j == m - 1) return here;
        double best = double.PositiveInfinity;
        if (i + 1 < n && j + 1 < m) best = Math.Min(best, Brute(c, n, m, penalty, i + 1, j + 1));
        if (i + 1 < n) best = Math.Min(best, penalty + Brute(c, n, m, penalty, i + 1, j));
        if (j + 1 < m) best = Math.Min(best, penalty + Brute(c, n, m, penalty, i, j + 1));
        return here + best;
    }

    [Fact]
    public void Dtw_with_open_begin_and_end_finds_a_query_inside_a_longer_reference()
    {
        // reference 0..9, query = reference frames 3..6: cost |q − r|
        int n = 4, m = 10;
        var c = new float[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) c[i * m + j] = Math.Abs(i + 3 - j);
        var (q, r, cost) = Dtw.Align(c, n, m, openBegin: true, openEnd: true);
        Assert.Equal([3, 4, 5, 6], r);
        Assert.Equal(0, cost);
    }

    [Fact]
    public void Dtw_reference_positions_average_the_reference_frames_of_each_row()
    {
        var pos = Dtw.ReferencePositions([0, 0, 1, 2, 2, 2], [0, 1, 2, 3, 4, 5], 3);
        Assert.Equal([0.5, 2, 4], pos);
    }

    [Fact]
    public void Dtw_rejects_a_cost_matrix_of_the_wrong_size()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() => Dtw.Align(new float[5], 2, 3));
        Assert.Contains("2 × 3 = 6", ex.Message);
    }

    [Theory]
    [InlineData(1, 1, false, false)]
    [InlineData(1, 7, false, false)]
    [InlineData(7, 1, true, true)]
    [InlineData(40, 57, false, false)]
    [InlineData(57, 40, true, false)]
    [InlineData(33, 90, true, true)]
    [InlineData(33, 90, false, true)]
    [InlineData(5, 2, false, false)]    // one four-row strip, narrower than the strip's skew
    [InlineData(9, 3, true, true)]      // two strips, no scalar rows after them
    [InlineData(6, 4, false, true)]
    [InlineData(13, 5, true, false)]
    [InlineData(9, 2, false, false)]    // one eight-row strip (rows 1–8), narrower than its skew
    [InlineData(9, 7, true, false)]     // one eight-row strip, as wide as its skew
    [InlineData(17, 9, false, true)]    // two eight-row strips
    [InlineData(21, 12, true, true)]    // two eight-row strips, a four-row strip
    [InlineData(24, 30, false, false)]  // two eight-row strips, a four-row strip, three scalar rows
    [InlineData(301, 1001, true, true)] // a streaming window against its 10 s search band
    [InlineData(301, 800, true, true)]  // a streaming window against its search band
    [InlineData(301, 301, false, false)]
    public void Dtw_gives_the_path_and_cost_of_the_textbook_loop_bit_for_bit(int n, int m, bool openBegin, bool openEnd)
    {
        var rng = new SplitMix64((ulong)(n * 1000 + m));
        foreach (bool ties in new[] { false, true })
        {
            // costs quantised to quarters make many equal candidates, so the tie-breaking order is exercised
            var c = Enumerable.Range(0, n * m).Select(_ => ties ? (float)Math.Floor(rng.NextDouble() * 4) / 4 : (float)rng.NextDouble()).ToArray();
            foreach (double penalty in new[] { 0.0, 0.1, 0.25 })
            {
                var expected = DtwReference.Align(c, n, m, penalty, openBegin, openEnd);
                var actual = Dtw.Align(c, n, m, penalty, openBegin, openEnd);
                Assert.Equal(expected.Query, actual.Query);
                Assert.Equal(expected.Reference, actual.Reference);
                Assert.Equal(expected.Cost, actual.Cost);             // exact: the same double additions in the same order
            }
        }
    }

    [Theory]
    [InlineData(1, 5, false, false)]
    [InlineData(33, 40, false, false)]   // exactly the first block (row 0 + 32 rows)
    [InlineData(34, 17, true, true)]     // one row into the second block
    [InlineData(70, 3, false, true)]
    [InlineData(131, 90, true, false)]
    public void Dtw_on_cost_rows_written_block_by_block_gives_the_path_and_cost_of_the_whole_matrix(int n, int m, bool openBegin, bool openEnd)
    {
        var rng = new SplitMix64((ulong)(n * 7919 + m));
        var c = Enumerable.Range(0, n * m).Select(_ => (float)Math.Floor(rng.NextDouble() * 8) / 8).ToArray();
        var blocks = new List<(int First, int Count)>();
        var expected = DtwReference.Align(c, n, m, 0.125, openBegin, openEnd);
        var actual = Dtw.Align((first, count, rows) =>
        {
            blocks.Add((first, count));
            c.AsSpan(first * m, count * m).CopyTo(rows);
        }, n, m, 0.125, openBegin, openEnd);
        Assert.Equal(expected.Query, actual.Query);
        Assert.Equal(expected.Reference, actual.Reference);
        Assert.Equal(expected.Cost, actual.Cost);
        // consecutive blocks covering every row once, in order
        Assert.Equal(0, blocks[0].First);
        for (int b = 1; b < blocks.Count; b++) Assert.Equal(blocks[b - 1].First + blocks[b - 1].Count, blocks[b].First);
        Assert.Equal(n, blocks[^1].First + blocks[^1].Count);
    }
}
