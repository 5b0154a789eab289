using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// <para><b>Speed.</b> With AVX2 the rows after the first run eight at a time, as two strips of four skewed across the lanes
/// of a vector so that each strip's serial dependency advances four cells per step and the two strips' chains overlap
/// (<c>AccumulateStrip8</c>; four rows left at a block's end take <c>AccumulateStrip</c>, fewer the scalar loop); every cell
/// still gets the scalar loop's operations, so paths, choices and costs are bit-identical (tests compare with the textbook
/// loop, ties included). 301 × 301 cells (a 3 s window) ≈ 0.09–0.14 ms and 301 × 1,001 (a streamed window's search band)
/// ≈ 0.33–0.47 ms on one core, from ≈ 0.17 and 0.61 ms with four rows per step (bench/README.md).</para>
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
        return Run(cost, [], null, n, m, stepPenalty, openBegin, openEnd);
    }

    /// <summary>
    /// <see cref="Align(ReadOnlySpan{float}, int, int, double, bool, bool)"/> without the whole cost matrix:
    /// <paramref name="costRows"/>(first, count, rows) writes the costs of query rows first … first + count − 1 into
    /// <c>rows</c> (count × m, row-major), and is called for consecutive blocks of ≈ 32 rows in order — so C is never held
    /// whole (an n × m float matrix larger than the cache would be written and read back once) and a block is used while it
    /// is still cached. Same path and cost as <see cref="Align(ReadOnlySpan{float}, int, int, double, bool, bool)"/> on the
    /// costs the callback writes, bit for bit.
    /// </summary>
    /// <exception cref="ShapeMismatchException">An empty matrix or n·m above <see cref="MaxCells"/>.</exception>
    public static (int[] Query, int[] Reference, double Cost) Align(Action<int, int, Span<float>> costRows, int n, int m, double stepPenalty = 0, bool openBegin = false, bool openEnd = false)
    {
        ArgumentNullException.ThrowIfNull(costRows);
        if (n < 1 || m < 1) throw new ShapeMismatchException($"DTW needs at least one frame on each side, got {n} × {m}");
        if ((long)n * m > MaxCells) throw new ShapeMismatchException($"DTW over {n} × {m} frames exceeds {MaxCells} cells; decimate the sequences first");
        var block = System.Buffers.ArrayPool<float>.Shared.Rent((BlockRows + 1) * m);
        try
        {
            return Run([], block.AsSpan(0, (BlockRows + 1) * m), costRows, n, m, stepPenalty, openBegin, openEnd);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(block);
        }
    }

    /// <summary>Query rows per block of <see cref="Align(Action{int, int, Span{float}}, int, int, double, bool, bool)"/> (a multiple of the strip's 4; the first block has one more, row 0).</summary>
    private const int BlockRows = 32;

    /// <summary>The alignment on the whole cost matrix <paramref name="cost"/>, or (with <paramref name="costRows"/>) on blocks of rows written into <paramref name="block"/>.</summary>
    private static (int[] Query, int[] Reference, double Cost) Run(ReadOnlySpan<float> cost, Span<float> block, Action<int, int, Span<float>>? costRows, int n, int m, double stepPenalty, bool openBegin, bool openEnd)
    {
        // D is kept two rows at a time (the path needs only the choices): 16·m bytes instead of 8·n·m
        var pool = System.Buffers.ArrayPool<double>.Shared;
        var rows = pool.Rent(2 * m);
        var step = System.Buffers.ArrayPool<byte>.Shared.Rent(n * m);   // 0 = diagonal, 1 = from (i−1, j), 2 = from (i, j−1), 3 = start
        try
        {
            var last = Accumulate(cost, block, costRows, n, m, stepPenalty, openBegin, rows.AsSpan(0, 2 * m), step.AsSpan(0, n * m));
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
    /// With AVX2, rows 1 … 4⌊(n − 1)/4⌋ go through <see cref="AccumulateStrip"/> and the rest through the scalar loop.
    /// </summary>
    private static ReadOnlySpan<double> Accumulate(ReadOnlySpan<float> matrix, Span<float> block, Action<int, int, Span<float>>? costRows, int n, int m, double stepPenalty, bool openBegin, Span<double> rows, Span<byte> step)
    {
        var prev = rows[..m];
        var row = rows[m..];
        // the costs of rows [r0, r1) are in `cost` from row r0 on: the whole matrix at once, or a block at a time from costRows
        int r0 = 0, r1 = costRows is null ? n : Math.Min(n, BlockRows + 1);
        ReadOnlySpan<float> cost = matrix;
        if (costRows is not null)
        {
            costRows(0, r1, block[..(r1 * m)]);
            cost = block;
        }
        prev[0] = cost[0];
        step[0] = 3;
        for (int j = 1; j < m; j++)
        {
            if (openBegin) { prev[j] = cost[j]; step[j] = 3; }
            else { prev[j] = cost[j] + (prev[j - 1] + stepPenalty); step[j] = 2; }
        }
        for (int i = 1; i < n; i++)
        {
            if (i == r1)
            {
                // the next block (only with costRows; the whole matrix ends at n)
                r0 = i;
                r1 = Math.Min(n, i + BlockRows);
                costRows!(r0, r1 - r0, block[..((r1 - r0) * m)]);
                cost = block;
            }
            if (Avx2.IsSupported && m >= 2 && i + 2 * StripRows <= r1)
            {
                // eight rows at a time: two skewed strips in one loop (see AccumulateStrip8)
                AccumulateStrip8(cost.Slice((i - r0) * m, 2 * StripRows * m), m, i, stepPenalty, prev, step);
                i += 2 * StripRows - 1;
                continue;
            }
            if (Avx2.IsSupported && m >= 2 && i + StripRows <= r1)
            {
                // four rows at a time, skewed (see AccumulateStrip); rows left over at the block's end take the scalar loop
                AccumulateStrip(cost.Slice((i - r0) * m, StripRows * m), m, i, stepPenalty, prev, step);
                i += StripRows - 1;
                continue;
            }
            var c = cost.Slice((i - r0) * m, m);
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

    private const int StripRows = 4;

    /// <summary>
    /// For the 8 mask bits of a strip step (bit k: lane k's (i−1, j) + δ beat its diagonal; bit 4 + k: its (i, j−1) + δ beat
    /// both), the four lanes' choices packed as bytes (lane k in byte k): 2 where the side step won, else 1 where the up step
    /// won, else 0.
    /// </summary>
    private static readonly uint[] PackedChoices = BuildPackedChoices();

    private static uint[] BuildPackedChoices()
    {
        var table = new uint[256];
        for (int bits = 0; bits < 256; bits++)
            for (int k = 0; k < StripRows; k++)
            {
                uint choice = (bits >> (4 + k) & 1) != 0 ? 2u : (uint)(bits >> k & 1);
                table[bits] |= choice << (8 * k);
            }
        return table;
    }

    /// <summary>
    /// Rows i0 … i0 + 3 of the recursion at once, one row per lane of a <see cref="Vector256{T}"/> of doubles, skewed: at step t
    /// lane k computes cell (i0 + k, t − k), whose three predecessors are ready — (i0 + k − 1, t − k) was lane k − 1's cell at
    /// step t − 1 (lane 0: row i0 − 1, <paramref name="prev"/>), (i0 + k − 1, t − k − 1) lane k − 1's at step t − 2 (the
    /// previous step's "up" vector), and (i0 + k, t − k − 1) lane k's own at step t − 1. Each lane runs the scalar loop's
    /// float operations on its cell — the diagonal, then (i−1, j) + δ if strictly cheaper, then (i, j−1) + δ if strictly
    /// cheaper, then C(i, j) + best in double — so D and the choices are bit-identical to it; cells outside [0, m) cost +∞, so
    /// their D is +∞ (column 0 then takes the (i−1, 0) step, as the scalar loop's peeled first column does) and cells right of column m − 1
    /// are never stored. The serial dependency runs through one vector step per 4 cells instead of one scalar step per cell.
    /// Row i0 + 3's values replace <paramref name="prev"/> (lane 0 reads prev[t] and prev[t − 1] before lane 3 writes prev[t − 3]).
    /// </summary>
    private static void AccumulateStrip(ReadOnlySpan<float> cost, int m, int i0, double stepPenalty, Span<double> prev, Span<byte> step)
    {
        var inf = Vector256.Create(double.PositiveInfinity);
        var delta = Vector256.Create(stepPenalty);
        var r = inf;          // lanes: D(i0 + k, t − 1 − k), the previous step's cells
        var upPrev = inf;     // the previous step's up vector: this step's diagonal
        ref float c0 = ref MemoryMarshal.GetReference(cost);
        ref float c1 = ref Unsafe.Add(ref c0, m);
        ref float c2 = ref Unsafe.Add(ref c1, m);
        ref float c3 = ref Unsafe.Add(ref c2, m);
        ref byte s0 = ref MemoryMarshal.GetReference(step.Slice(i0 * m));
        ref byte s1 = ref Unsafe.Add(ref s0, m);
        ref byte s2 = ref Unsafe.Add(ref s1, m);
        ref byte s3 = ref Unsafe.Add(ref s2, m);
        ref double p = ref MemoryMarshal.GetReference(prev);
        ref uint choices = ref MemoryMarshal.GetArrayDataReference(PackedChoices);
        int steps = m + StripRows - 1;
        for (int t = 0; t < steps; t++)
        {
            bool full = t >= StripRows - 1 && t < m;
            double top = t < m ? Unsafe.Add(ref p, t) : double.PositiveInfinity;
            var up = Avx.Blend(Avx2.Permute4x64(r, 0b10_01_00_00), Vector256.Create(top), 0b0001);
            Vector256<double> c = full
                ? Vector256.Create((double)Unsafe.Add(ref c0, t), Unsafe.Add(ref c1, t - 1), Unsafe.Add(ref c2, t - 2), Unsafe.Add(ref c3, t - 3))
                : Vector256.Create(Cell(ref c0, t, m), Cell(ref c1, t - 1, m), Cell(ref c2, t - 2, m), Cell(ref c3, t - 3, m));
            // vminpd(a, b) = a < b ? a : b, exactly the scalar loop's "replace if strictly cheaper" (the masks record which won)
            var upStep = up + delta;
            var b1 = Avx.Min(upStep, upPrev);
            var side = r + delta;
            var b2 = Avx.Min(side, b1);
            var d = c + b2;
            var m1 = Avx.CompareLessThan(upStep, upPrev);
            var m2 = Avx.CompareLessThan(side, b1);
            // the four lanes' choices as the bytes of one uint: lane k's in byte k
            uint packed = Unsafe.Add(ref choices, (int)(m1.ExtractMostSignificantBits() | (m2.ExtractMostSignificantBits() << 4)));
            if (full)
            {
                Unsafe.Add(ref s0, t) = (byte)packed;
                Unsafe.Add(ref s1, t - 1) = (byte)(packed >> 8);
                Unsafe.Add(ref s2, t - 2) = (byte)(packed >> 16);
                Unsafe.Add(ref s3, t - 3) = (byte)(packed >> 24);
                Unsafe.Add(ref p, t - 3) = d.GetElement(3);
            }
            else
            {
                for (int k = 0; k < StripRows; k++)
                {
                    int j = t - k;
                    if ((uint)j >= (uint)m) continue;
                    Unsafe.Add(ref s0, k * m + j) = (byte)(packed >> (8 * k));
                }
                if ((uint)(t - 3) < (uint)m) Unsafe.Add(ref p, t - 3) = d.GetElement(3);
            }
            upPrev = up;
            r = d;
        }
    }

    /// <summary>
    /// Rows i0 … i0 + 7 as two strips of <see cref="AccumulateStrip"/> in one loop: at step t, strip A's lane k computes cell
    /// (i0 + k, t − k) exactly as <see cref="AccumulateStrip"/> does, and strip B's lane k cell (i0 + 4 + k, t − 4 − k) — the
    /// same skew continued over eight rows. B's lane 0 reads the row above it from A's lane 3 of the previous step (cell
    /// (i0 + 3, t − 4)) and its diagonal from A's lane 3 two steps back (B's previous up vector), both already computed, so
    /// B never waits for A within a step: the two strips' serial dependencies (one vector step per four cells each) overlap,
    /// which is where the time goes in <see cref="AccumulateStrip"/> (its operations per step are far fewer than the
    /// latency of its dependency chain). Every cell gets the scalar loop's operations in its order (<see cref="StripCell"/>),
    /// so D and the choices are bit-identical to it. Row i0 + 7's values replace <paramref name="prev"/> (A's lane 0 reads
    /// prev[t] before B's lane 3 writes prev[t − 7]).
    /// </summary>
    private static void AccumulateStrip8(ReadOnlySpan<float> cost, int m, int i0, double stepPenalty, Span<double> prev, Span<byte> step)
    {
        var inf = Vector256.Create(double.PositiveInfinity);
        var delta = Vector256.Create(stepPenalty);
        var rA = inf; var upPrevA = inf;   // strip A (rows i0 … i0 + 3): the previous step's cells and up vector
        var rB = inf; var upPrevB = inf;   // strip B (rows i0 + 4 … i0 + 7)
        ref float a0 = ref MemoryMarshal.GetReference(cost);
        ref float a1 = ref Unsafe.Add(ref a0, m);
        ref float a2 = ref Unsafe.Add(ref a1, m);
        ref float a3 = ref Unsafe.Add(ref a2, m);
        ref float b0 = ref Unsafe.Add(ref a3, m);
        ref float b1 = ref Unsafe.Add(ref b0, m);
        ref float b2 = ref Unsafe.Add(ref b1, m);
        ref float b3 = ref Unsafe.Add(ref b2, m);
        ref byte s0 = ref MemoryMarshal.GetReference(step.Slice(i0 * m));
        ref double p = ref MemoryMarshal.GetReference(prev);
        ref uint choices = ref MemoryMarshal.GetArrayDataReference(PackedChoices);
        int steps = m + 2 * StripRows - 1;
        for (int t = 0; t < steps; t++)
        {
            bool full = t >= 2 * StripRows - 1 && t < m;   // every lane of both strips on a column in [0, m)
            double top = t < m ? Unsafe.Add(ref p, t) : double.PositiveInfinity;
            var upA = Avx.Blend(Avx2.Permute4x64(rA, 0b10_01_00_00), Vector256.Create(top), 0b0001);
            var upB = Avx.Blend(Avx2.Permute4x64(rB, 0b10_01_00_00), Avx2.Permute4x64(rA, 0b11_11_11_11), 0b0001);
            Vector256<double> cA, cB;
            if (full)
            {
                cA = Vector256.Create((double)Unsafe.Add(ref a0, t), Unsafe.Add(ref a1, t - 1), Unsafe.Add(ref a2, t - 2), Unsafe.Add(ref a3, t - 3));
                cB = Vector256.Create((double)Unsafe.Add(ref b0, t - 4), Unsafe.Add(ref b1, t - 5), Unsafe.Add(ref b2, t - 6), Unsafe.Add(ref b3, t - 7));
            }
            else
            {
                cA = Vector256.Create(Cell(ref a0, t, m), Cell(ref a1, t - 1, m), Cell(ref a2, t - 2, m), Cell(ref a3, t - 3, m));
                cB = Vector256.Create(Cell(ref b0, t - 4, m), Cell(ref b1, t - 5, m), Cell(ref b2, t - 6, m), Cell(ref b3, t - 7, m));
            }
            var dA = StripCell(cA, upA, upPrevA, rA, delta, ref choices, out uint packedA);
            var dB = StripCell(cB, upB, upPrevB, rB, delta, ref choices, out uint packedB);
            if (full)
            {
                Unsafe.Add(ref s0, t) = (byte)packedA;
                Unsafe.Add(ref s0, m + t - 1) = (byte)(packedA >> 8);
                Unsafe.Add(ref s0, 2 * m + t - 2) = (byte)(packedA >> 16);
                Unsafe.Add(ref s0, 3 * m + t - 3) = (byte)(packedA >> 24);
                Unsafe.Add(ref s0, 4 * m + t - 4) = (byte)packedB;
                Unsafe.Add(ref s0, 5 * m + t - 5) = (byte)(packedB >> 8);
                Unsafe.Add(ref s0, 6 * m + t - 6) = (byte)(packedB >> 16);
                Unsafe.Add(ref s0, 7 * m + t - 7) = (byte)(packedB >> 24);
                Unsafe.Add(ref p, t - 7) = dB.GetElement(3);
            }
            else
            {
                for (int k = 0; k < StripRows; k++)
                {
                    int j = t - k;
                    if ((uint)j < (uint)m) Unsafe.Add(ref s0, k * m + j) = (byte)(packedA >> (8 * k));
                    j = t - StripRows - k;
                    if ((uint)j < (uint)m) Unsafe.Add(ref s0, (StripRows + k) * m + j) = (byte)(packedB >> (8 * k));
                }
                if ((uint)(t - 7) < (uint)m) Unsafe.Add(ref p, t - 7) = dB.GetElement(3);
            }
            upPrevA = upA; rA = dA;
            upPrevB = upB; rB = dB;
        }
    }

    /// <summary>
    /// One step of a strip's four cells: the scalar loop's operations per lane (diagonal <paramref name="diag"/>, then up + δ
    /// if strictly cheaper, then side + δ if strictly cheaper, then C + best), and the lanes' choices packed as bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> StripCell(Vector256<double> c, Vector256<double> up, Vector256<double> diag, Vector256<double> left, Vector256<double> delta, ref uint choices, out uint packed)
    {
        // vminpd(a, b) = a < b ? a : b, exactly the scalar loop's "replace if strictly cheaper" (the masks record which won)
        var upStep = up + delta;
        var b1 = Avx.Min(upStep, diag);
        var side = left + delta;
        var b2 = Avx.Min(side, b1);
        var m1 = Avx.CompareLessThan(upStep, diag);
        var m2 = Avx.CompareLessThan(side, b1);
        packed = Unsafe.Add(ref choices, (int)(m1.ExtractMostSignificantBits() | (m2.ExtractMostSignificantBits() << 4)));
        return c + b2;
    }

    /// <summary>Row's cost at column j as double, +∞ outside [0, m) (cells the skewed strip computes but never keeps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Cell(ref float row, int j, int m) => (uint)j < (uint)m ? Unsafe.Add(ref row, j) : double.PositiveInfinity;

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
