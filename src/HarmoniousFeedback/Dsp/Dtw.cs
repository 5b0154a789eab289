namespace HarmoniousFeedback.Dsp;

/// <summary>
/// Dynamic time warping over a precomputed cost matrix C [n × m] (row-major; row i = query frame, column j = reference
/// frame), with steps (1, 1), (1, 0), (0, 1) and a penalty δ on the two non-diagonal steps:
/// <code>
///   D(0, 0) = C(0, 0)                               (anchored start)      or  D(0, j) = C(0, j) for every j (open begin)
///   D(i, j) = C(i, j) + min( D(i−1, j−1), D(i−1, j) + δ, D(i, j−1) + δ )
///   end: (n−1, m−1) (anchored)  or  argmin_j D(n−1, j) (open end)
/// </code>
/// The warping path is found by backtracking the stored choices (ties prefer the diagonal, then (1, 0)). With δ = 0
/// and both ends anchored this is <c>librosa.sequence.dtw(C=…, step_sizes_sigma=[[1,1],[0,1],[1,0]])</c>'s path; open begin
/// and end together are its <c>subseq=True</c>. O(n·m) time, n·m + 16·m bytes of memory (choices in bytes, two rows of D in double; pooled).
/// </summary>
public static class Dtw
{
    /// <summary>The largest n·m accepted (≈ 50 MB of working memory, the step choices); longer inputs must be decimated first.</summary>
    public const long MaxCells = 50_000_000;

    /// <summary>
    /// The warping path from (first query frame, its reference frame) to (n−1, end), as parallel arrays of query and
    /// reference indices (non-decreasing in both), and the accumulated cost at the end.
    /// </summary>
    /// <exception cref="ShapeMismatchException">An empty matrix, a cost array of the wrong size, or n·m above <see cref="MaxCells"/>.</exception>
    public static (int[] Query, int[] Reference, double Cost) Align(ReadOnlySpan<float> cost, int n, int m, double stepPenalty = 0, bool openBegin = false, bool openEnd = false)
    {
        if (n < 1 || m < 1) throw new ShapeMismatchException($"DTW needs at least one frame on each side, got {n} × {m}");
        if ((long)n * m > MaxCells) throw new ShapeMismatchException($"DTW over {n} × {m} frames exceeds {MaxCells} cells; decimate the sequences first");
        if (cost.Length != n * m) throw new ShapeMismatchException($"DTW cost matrix has {cost.Length} values, {n} × {m} = {n * m} expected");
        // D is kept two rows at a time (the path needs only the choices): 16·m bytes instead of 8·n·m
        var pool = System.Buffers.ArrayPool<double>.Shared;
        var rows = pool.Rent(2 * m);
        var step = System.Buffers.ArrayPool<byte>.Shared.Rent(n * m);   // 0 = diagonal, 1 = from (i−1, j), 2 = from (i, j−1), 3 = start
        try
        {
            var last = Accumulate(cost, n, m, stepPenalty, openBegin, rows.AsSpan(0, 2 * m), step.AsSpan(0, n * m));
            int end = m - 1;
            if (openEnd)
                for (int j = 0; j < m; j++)
                    if (last[j] < last[end]) end = j;
            return Backtrack(step, n, m, end, last[end]);
        }
        finally
        {
            pool.Return(rows);
            System.Buffers.ArrayPool<byte>.Shared.Return(step);
        }
    }

    private static (int[] Query, int[] Reference, double Cost) Backtrack(byte[] step, int n, int m, int end, double total)
    {
        var qi = new List<int>(n + m);
        var rj = new List<int>(n + m);
        int ii = n - 1, jj = end;
        while (true)
        {
            qi.Add(ii);
            rj.Add(jj);
            byte s = step[ii * m + jj];
            if (s == 3) break;
            if (s == 0) { ii--; jj--; }
            else if (s == 1) ii--;
            else jj--;
        }
        qi.Reverse();
        rj.Reverse();
        return (qi.ToArray(), rj.ToArray(), total);
    }

    /// <summary>
    /// The recursion, with the first row and column peeled off so the inner loop has no boundary tests: the same
    /// comparisons in the same order (diagonal, then (i−1, j) if strictly cheaper, then (i, j−1) if strictly cheaper) and
    /// the same double additions as the textbook loop, so D and the choices are bit-identical to it (tests keep that loop).
    /// </summary>
    private static ReadOnlySpan<double> Accumulate(ReadOnlySpan<float> cost, int n, int m, double stepPenalty, bool openBegin, Span<double> rows, Span<byte> step)
    {
        var prev = rows[..m];
        var row = rows[m..];
        prev[0] = cost[0];
        step[0] = 3;
        for (int j = 1; j < m; j++)
        {
            if (openBegin) { prev[j] = cost[j]; step[j] = 3; }
            else { prev[j] = cost[j] + (prev[j - 1] + stepPenalty); step[j] = 2; }
        }
        for (int i = 1; i < n; i++)
        {
            var c = cost.Slice(i * m, m);
            var s = step.Slice(i * m, m);
            row[0] = c[0] + (prev[0] + stepPenalty);
            s[0] = 1;
            double left = row[0];
            for (int j = 1; j < m; j++)
            {
                double best = prev[j - 1];
                byte choice = 0;
                double up = prev[j] + stepPenalty;
                if (up < best) { best = up; choice = 1; }
                double side = left + stepPenalty;
                if (side < best) { best = side; choice = 2; }
                left = c[j] + best;
                row[j] = left;
                s[j] = choice;
            }
            var t = prev; prev = row; row = t;
        }
        return prev;
    }

    /// <summary>
    /// For every query frame i, the mean reference index of the path cells in row i (a path visits every row at least
    /// once), i.e. where frame i sits in the reference, in fractional frames.
    /// </summary>
    public static double[] ReferencePositions(ReadOnlySpan<int> query, ReadOnlySpan<int> reference, int n)
    {
        var sum = new double[n];
        var count = new int[n];
        for (int k = 0; k < query.Length; k++) { sum[query[k]] += reference[k]; count[query[k]]++; }
        for (int i = 0; i < n; i++)
        {
            if (count[i] == 0) throw new ShapeMismatchException($"the warping path does not visit query frame {i}");
            sum[i] /= count[i];
        }
        return sum;
    }
}
