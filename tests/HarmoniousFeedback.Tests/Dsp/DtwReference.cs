namespace HarmoniousFeedback.Tests.Dsp;

/// <summary><c>Dtw.Align</c> as of commit cf9cabe (the textbook loop with boundary tests in the inner loop), kept verbatim as the reference of the peeled loop.</summary>
internal static class DtwReference
{
    private const long MaxCells = HarmoniousFeedback.Dsp.Dtw.MaxCells;

    public static (int[] Query, int[] Reference, double Cost) Align(ReadOnlySpan<float> cost, int n, int m, double stepPenalty = 0, bool openBegin = false, bool openEnd = false)
    {
        if (n < 1 || m < 1) throw new ShapeMismatchException($"DTW needs at least one frame on each side, got {n} × {m}");
        if ((long)n * m > MaxCells) throw new ShapeMismatchException($"DTW over {n} × {m} frames exceeds {MaxCells} cells; decimate the sequences first");
        if (cost.Length != n * m) throw new ShapeMismatchException($"DTW cost matrix has {cost.Length} values, {n} × {m} = {n * m} expected");
        var d = new double[n * m];
        var step = new byte[n * m];                       // 0 = diagonal, 1 = from (i−1, j), 2 = from (i, j−1), 3 = start
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                int at = i * m + j;
                double c = cost[at];
                if (i == 0 && (j == 0 || openBegin)) { d[at] = c; step[at] = 3; continue; }
                double best = double.PositiveInfinity;
                byte choice = 0;
                if (i > 0 && j > 0) { best = d[at - m - 1]; choice = 0; }
                if (i > 0 && d[at - m] + stepPenalty < best) { best = d[at - m] + stepPenalty; choice = 1; }
                if (j > 0 && d[at - 1] + stepPenalty < best) { best = d[at - 1] + stepPenalty; choice = 2; }
                d[at] = c + best;
                step[at] = choice;
            }
        }
        int end = m - 1;
        if (openEnd)
            for (int j = 0; j < m; j++)
                if (d[(n - 1) * m + j] < d[(n - 1) * m + end]) end = j;
        double total = d[(n - 1) * m + end];
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

}
