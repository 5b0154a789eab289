using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// libsvm's <c>Solver</c> specialised to C-SVC (Chang &amp; Lin, LIBSVM, 2011; Fan, Chen &amp; Lin, JMLR 6:1889–1918,
/// 2005). Solves the dual
/// <code>min_α ½ αᵀQα − eᵀα   s.t.  yᵀα = 0,  0 ≤ αᵢ ≤ C,   Qᵢⱼ = yᵢ yⱼ K(xᵢ, xⱼ)</code>
/// by sequential minimal optimisation: each iteration picks the working set {i, j} by WSS3 (i the maximal violator
/// in I_up, j minimising the second-order decrease −b²/a among violators in I_low), solves the two-variable
/// sub-problem analytically with clipping to the box, and updates the gradient G = Qα − e. It stops when
/// m(α) − M(α) &lt; ε. Shrinking drops bounded variables that cannot move every min(l, 1000) iterations and
/// reconstructs the full gradient (through Ḡ, the contribution of upper-bounded α) before the final check.
/// Kernel rows are cached (LRU, float) within a memory budget. Rows of the data matrix are physically swapped with
/// the indices, so a kernel row is a run of contiguous SIMD dot products, computed four rows at a time
/// (<see cref="SimdDot.DotRows"/>), or for narrow data (d &lt; 16) one SIMD lane per row over a column-major copy
/// (<see cref="SimdDot.DotColumns"/>); both give exactly <see cref="SimdDot.Dot"/>'s values. The two WSS3 scans over the active set
/// (most of the time of a fit with many cheap iterations, e.g. the linear kernel) run on SIMD views of y and of the
/// I_up/I_low membership, branch-free, with libsvm's tie rules. The hot loops are
/// compiled fully optimised at once (AggressiveOptimization): under tiered JIT a one-shot fit otherwise spends its
/// first seconds in unoptimised code, much longer on a loaded machine where the background JIT gets little CPU.
/// </summary>
internal sealed class SmoSolver
{
    private const double Tau = 1e-12;
    private const byte LowerBound = 0, UpperBound = 1, Free = 2;

    private readonly int _l, _d;
    private readonly double[] _x;        // [l × d], permuted along with the indices
    private readonly double[]? _xt;      // [d × l] column-major copy for narrow data (d < 16), permuted likewise
    private readonly double[] _sq;       // ‖xᵢ‖²
    private readonly sbyte[] _y;
    private readonly double[] _qd;       // Qᵢᵢ = K(xᵢ, xᵢ)
    private readonly KernelParameters _k;
    private readonly KernelRowCache _cache;
    private readonly double _c, _eps;
    private readonly bool _shrinking, _parallelRows;
    private readonly double[] _dotScratch;

    private readonly double[] _alpha, _g, _gBar, _p;
    private readonly byte[] _status;
    // SIMD views of y and the status for the working-set scans: yᵢ as ±1.0, and all-ones (−1L) when i ∈ I_up(α)
    // (yᵢ = +1 and αᵢ < C, or yᵢ = −1 and αᵢ > 0), resp. i ∈ I_low(α) (yᵢ = +1 and αᵢ > 0, or yᵢ = −1 and αᵢ < C).
    private readonly double[] _yd;
    private readonly long[] _inUp, _inLow;
    private readonly int[] _activeSet;
    private int _activeSize;
    private bool _unshrink;

    /// <summary>
    /// Prepares the binary problem: <paramref name="x"/> row-major [l × d] in its first l·d entries, used in place (the
    /// solver permutes its rows, so the caller must not rely on them afterwards), <paramref name="y"/> ±1 per row,
    /// stopping tolerance <paramref name="eps"/>, box bound <paramref name="c"/>, a kernel cache of
    /// <paramref name="cacheFloats"/> floats; <paramref name="parallelRows"/> splits long kernel rows over two threads;
    /// <paramref name="rowPool"/> (optional) lends the cache reusable row buffers.
    /// </summary>
    public SmoSolver(double[] x, int d, sbyte[] y, KernelParameters kernel, double c, double eps,
                     bool shrinking, long cacheFloats, bool parallelRows, KernelRowPool? rowPool = null)
    {
        _l = y.Length;
        _d = d;
        if (x.Length < (long)_l * d) throw new UnreachableException($"bug: x holds {x.Length} values, fewer than {_l} rows × {d}");
        _x = x;
        if (d < 16)
        {
            _xt = new double[d * _l];
            for (int i = 0; i < _l; i++)
                for (int k = 0; k < d; k++) _xt[k * _l + i] = _x[i * d + k];
        }
        _y = (sbyte[])y.Clone();
        _k = kernel;
        _c = c;
        _eps = eps;
        _shrinking = shrinking;
        _parallelRows = parallelRows;
        _cache = new KernelRowCache(_l, cacheFloats, rowPool);
        _dotScratch = new double[_l];
        _sq = new double[_l];
        _qd = new double[_l];
        for (int i = 0; i < _l; i++)
        {
            var row = Row(i);
            _sq[i] = SimdDot.Dot(row, row);
            _qd[i] = _k.FromDot(_sq[i], _sq[i], _sq[i]);
        }
        _alpha = new double[_l];
        _g = new double[_l];
        _gBar = new double[_l];
        _p = new double[_l];
        _status = new byte[_l];
        _activeSet = new int[_l];
        _yd = new double[_l];
        for (int i = 0; i < _l; i++) _yd[i] = _y[i];
        _inUp = new long[_l];
        _inLow = new long[_l];
    }

    /// <summary>Use the scalar reference working-set selection (tests only; same result, slower).</summary>
    internal bool ReferenceSelection { get; init; }

    private ReadOnlySpan<double> Row(int i) => _x.AsSpan(i * _d, _d);

    /// <summary>Row i of Q, valid on [0, len).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] GetQ(int i, int len)
    {
        int start = _cache.GetRow(i, len, out var row);
        if (start < len) FillRow(i, start, len, row);
        return row;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillRow(int i, int start, int len, float[] row)
    {
        int count = len - start;
        if (_parallelRows && (long)count * _d >= 1 << 17)
        {
            int half = start + count / 2;
            Parallel.Invoke(() => FillRange(i, start, half, row), () => FillRange(i, half, len, row));
        }
        else
        {
            FillRange(i, start, len, row);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillRange(int i, int from, int to, float[] row)
    {
        var xi = Row(i);
        double sqi = _sq[i];
        int yi = _y[i];
        var dots = _dotScratch.AsSpan(from, to - from);
        // xᵢ·xⱼ for the whole range at once, bit-identical to SimdDot.Dot(xi, Row(j)) per j.
        if (_xt is not null) SimdDot.DotColumns(xi, _xt, _l, from, dots);
        else SimdDot.DotRows(xi, _x.AsSpan(from * _d, (to - from) * _d), dots);
        switch (_k.Kernel)
        {
            case SvmKernel.Linear:
                break;
            case SvmKernel.Rbf:
                // exp(−γ·max(‖xᵢ‖² + ‖xⱼ‖² − 2xᵢ·xⱼ, 0))
                double gamma = _k.Gamma;
                for (int t = 0; t < dots.Length; t++)
                    dots[t] = Math.Exp(-gamma * Math.Max(sqi + _sq[from + t] - 2 * dots[t], 0));
                break;
            default:
                for (int t = 0; t < dots.Length; t++) dots[t] = _k.FromDot(dots[t], 0, 0);
                break;
        }
        StoreSigned(dots, _yd.AsSpan(from, to - from), yi, row.AsSpan(from, to - from));
    }

    /// <summary><c>row[t] = (float)(yᵢ·yₜ·k[t])</c>: Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ) rounded to float like libsvm's <c>Qfloat</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreSigned(ReadOnlySpan<double> k, ReadOnlySpan<double> yd, int yi, Span<float> row)
    {
        int n = row.Length, t = 0;
        ref double kr = ref MemoryMarshal.GetReference(k);
        ref double yr = ref MemoryMarshal.GetReference(yd);
        ref float rr = ref MemoryMarshal.GetReference(row);
        if (k.Length < n || yd.Length < n) throw new UnreachableException($"bug: k ({k.Length}) and yd ({yd.Length}) must cover {n} rows");
        if (Vector256.IsHardwareAccelerated)
        {
            var vyi = Vector256.Create((double)yi);
            for (; t <= n - 8; t += 8)
            {
                var lo = (vyi * Vector256.LoadUnsafe(ref yr, (nuint)t)) * Vector256.LoadUnsafe(ref kr, (nuint)t);
                var hi = (vyi * Vector256.LoadUnsafe(ref yr, (nuint)t + 4)) * Vector256.LoadUnsafe(ref kr, (nuint)t + 4);
                Vector256.Narrow(lo, hi).StoreUnsafe(ref rr, (nuint)t);
            }
        }
        for (; t < n; t++) Unsafe.Add(ref rr, t) = (float)((yi * Unsafe.Add(ref yr, t)) * Unsafe.Add(ref kr, t));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SwapIndex(int i, int j)
    {
        if (i == j) return;
        _cache.SwapIndex(i, j);
        var a = _x.AsSpan(i * _d, _d);
        var b = _x.AsSpan(j * _d, _d);
        Span<double> tmp = _d <= 256 ? stackalloc double[_d] : new double[_d];
        a.CopyTo(tmp); b.CopyTo(a); tmp.CopyTo(b);
        if (_xt is not null)
            for (int k = 0, o = 0; k < _d; k++, o += _l) (_xt[o + i], _xt[o + j]) = (_xt[o + j], _xt[o + i]);
        (_sq[i], _sq[j]) = (_sq[j], _sq[i]);
        (_qd[i], _qd[j]) = (_qd[j], _qd[i]);
        (_y[i], _y[j]) = (_y[j], _y[i]);
        (_yd[i], _yd[j]) = (_yd[j], _yd[i]);
        (_inUp[i], _inUp[j]) = (_inUp[j], _inUp[i]);
        (_inLow[i], _inLow[j]) = (_inLow[j], _inLow[i]);
        (_g[i], _g[j]) = (_g[j], _g[i]);
        (_status[i], _status[j]) = (_status[j], _status[i]);
        (_alpha[i], _alpha[j]) = (_alpha[j], _alpha[i]);
        (_p[i], _p[j]) = (_p[j], _p[i]);
        (_activeSet[i], _activeSet[j]) = (_activeSet[j], _activeSet[i]);
        (_gBar[i], _gBar[j]) = (_gBar[j], _gBar[i]);
    }

    private bool IsUpper(int i) => _status[i] == UpperBound;
    private bool IsLower(int i) => _status[i] == LowerBound;
    private bool IsFree(int i) => _status[i] == Free;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateStatus(int i)
    {
        byte s = _alpha[i] >= _c ? UpperBound : _alpha[i] <= 0 ? LowerBound : Free;
        _status[i] = s;
        bool positive = _y[i] == 1;
        _inUp[i] = s != (positive ? UpperBound : LowerBound) ? -1L : 0L;
        _inLow[i] = s != (positive ? LowerBound : UpperBound) ? -1L : 0L;
    }

    /// <summary>Runs SMO from α = 0; <paramref name="maxIter"/> ≤ 0 means libsvm's limit max(10⁷, 100·l).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SmoResult Solve(int maxIter)
    {
        int l = _l;
        for (int i = 0; i < l; i++)
        {
            _p[i] = -1;
            _g[i] = -1;        // G = Qα + p with α = 0
            _activeSet[i] = i;
            UpdateStatus(i);
        }
        _activeSize = l;
        _unshrink = false;
        int limit = maxIter > 0 ? maxIter : Math.Max(10_000_000, l > int.MaxValue / 100 ? int.MaxValue : 100 * l);
        int counter = Math.Min(l, 1000) + 1;
        int iter = 0;
        bool converged = false;

        while (iter < limit)
        {
            if (--counter == 0)
            {
                counter = Math.Min(l, 1000);
                if (_shrinking) DoShrinking();
            }
            if (!SelectWorkingSet(out int i, out int j))
            {
                ReconstructGradient();
                _activeSize = l;
                if (!SelectWorkingSet(out i, out j)) { converged = true; break; }
                counter = 1; // shrink again on the next iteration
            }
            iter++;

            var qi = GetQ(i, _activeSize);
            var qj = GetQ(j, _activeSize);
            double ci = _c, cj = _c;
            double oldAi = _alpha[i], oldAj = _alpha[j];

            if (_y[i] != _y[j])
            {
                double quad = _qd[i] + _qd[j] + 2 * qi[j];
                if (quad <= 0) quad = Tau;
                double delta = (-_g[i] - _g[j]) / quad;
                double diff = _alpha[i] - _alpha[j];
                _alpha[i] += delta;
                _alpha[j] += delta;
                if (diff > 0) { if (_alpha[j] < 0) { _alpha[j] = 0; _alpha[i] = diff; } }
                else { if (_alpha[i] < 0) { _alpha[i] = 0; _alpha[j] = -diff; } }
                if (diff > ci - cj) { if (_alpha[i] > ci) { _alpha[i] = ci; _alpha[j] = ci - diff; } }
                else { if (_alpha[j] > cj) { _alpha[j] = cj; _alpha[i] = cj + diff; } }
            }
            else
            {
                double quad = _qd[i] + _qd[j] - 2 * qi[j];
                if (quad <= 0) quad = Tau;
                double delta = (_g[i] - _g[j]) / quad;
                double sum = _alpha[i] + _alpha[j];
                _alpha[i] -= delta;
                _alpha[j] += delta;
                if (sum > ci) { if (_alpha[i] > ci) { _alpha[i] = ci; _alpha[j] = sum - ci; } }
                else { if (_alpha[j] < 0) { _alpha[j] = 0; _alpha[i] = sum; } }
                if (sum > cj) { if (_alpha[j] > cj) { _alpha[j] = cj; _alpha[i] = sum - cj; } }
                else { if (_alpha[i] < 0) { _alpha[i] = 0; _alpha[j] = sum; } }
            }

            double dAi = _alpha[i] - oldAi, dAj = _alpha[j] - oldAj;
            AddScaled(_g.AsSpan(0, _activeSize), qi, dAi, qj, dAj);

            bool ui = IsUpper(i), uj = IsUpper(j);
            UpdateStatus(i);
            UpdateStatus(j);
            if (ui != IsUpper(i))
            {
                AddScaled(_gBar, GetQ(i, l), ui ? -ci : ci, null, 0);
            }
            if (uj != IsUpper(j))
            {
                AddScaled(_gBar, GetQ(j, l), uj ? -cj : cj, null, 0);
            }
        }

        if (!converged && _activeSize < l)
        {
            ReconstructGradient();
            _activeSize = l;
        }
        double rho = CalculateRho();
        _cache.Release();
        var alpha = new double[l];
        for (int i = 0; i < l; i++) alpha[_activeSet[i]] = _alpha[i];
        return new SmoResult(alpha, rho, iter, converged);
    }

    /// <summary>
    /// g[k] += a[k]·da + b[k]·db (b optional) with the float rows widened to double: the gradient update of every SMO
    /// step, SIMD with Vector256 (8 floats → 2 × 4 doubles) and a scalar tail/fallback computing the same expression.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddScaled(Span<double> g, float[] a, double da, float[]? b, double db)
    {
        int n = g.Length, k = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            ref double gr = ref MemoryMarshal.GetReference(g);
            ref float ar = ref MemoryMarshal.GetArrayDataReference(a);
            var vda = Vector256.Create(da);
            if (b is null)
            {
                for (; k <= n - 8; k += 8)
                {
                    var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref ar, (nuint)k));
                    (Vector256.LoadUnsafe(ref gr, (nuint)k) + lo * vda).StoreUnsafe(ref gr, (nuint)k);
                    (Vector256.LoadUnsafe(ref gr, (nuint)k + 4) + hi * vda).StoreUnsafe(ref gr, (nuint)k + 4);
                }
            }
            else
            {
                ref float br = ref MemoryMarshal.GetArrayDataReference(b);
                var vdb = Vector256.Create(db);
                for (; k <= n - 8; k += 8)
                {
                    var (alo, ahi) = Vector256.Widen(Vector256.LoadUnsafe(ref ar, (nuint)k));
                    var (blo, bhi) = Vector256.Widen(Vector256.LoadUnsafe(ref br, (nuint)k));
                    (Vector256.LoadUnsafe(ref gr, (nuint)k) + (alo * vda + blo * vdb)).StoreUnsafe(ref gr, (nuint)k);
                    (Vector256.LoadUnsafe(ref gr, (nuint)k + 4) + (ahi * vda + bhi * vdb)).StoreUnsafe(ref gr, (nuint)k + 4);
                }
            }
        }
        if (b is null) for (; k < n; k++) g[k] += a[k] * da;
        else for (; k < n; k++) g[k] += a[k] * da + b[k] * db;
    }

    /// <summary>
    /// WSS3 (Fan, Chen &amp; Lin 2005, Algorithm 2); false when m(α) − M(α) &lt; ε (optimal). The same selection as
    /// libsvm's scalar loops, including its tie rules (the last index attaining the maximum / minimum wins), computed
    /// with SIMD over the active set: every lane evaluates the same IEEE expressions as the scalar code, and the lane
    /// results are merged by (value, then highest index), so the chosen pair is identical.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SelectWorkingSet(out int outI, out int outJ)
    {
        if (ReferenceSelection) return SelectWorkingSetReference(out outI, out outJ);
        int n = _activeSize;
        int i = MaxViolatingIndex(n, out double gmax);
        outI = i;
        outJ = -1;
        if (i == -1)
        {
            // No candidate for i: every variable is at the bound that blocks it; the gap is −∞ < ε.
            return false;
        }
        var qi = GetQ(i, n);
        int j = MinObjectiveIndex(qi, n, gmax, _qd[i], 2.0 * _y[i], out double gmax2);
        if (gmax + gmax2 < _eps || j == -1) return false;
        outJ = j;
        return true;
    }

    /// <summary>
    /// The scalar WSS3 loops as libsvm writes them; <see cref="ReferenceSelection"/> makes the solver use them, so tests
    /// can check that the SIMD selection picks the same pair in every iteration.
    /// </summary>
    private bool SelectWorkingSetReference(out int outI, out int outJ)
    {
        double gmax = double.NegativeInfinity, gmax2 = double.NegativeInfinity;
        int gmaxIdx = -1, gminIdx = -1;
        double objDiffMin = double.PositiveInfinity;
        int n = _activeSize;
        for (int t = 0; t < n; t++)
        {
            if (_y[t] == 1)
            {
                if (!IsUpper(t) && -_g[t] >= gmax) { gmax = -_g[t]; gmaxIdx = t; }
            }
            else
            {
                if (!IsLower(t) && _g[t] >= gmax) { gmax = _g[t]; gmaxIdx = t; }
            }
        }
        outI = gmaxIdx;
        outJ = -1;
        if (gmaxIdx == -1)
        {
            // No candidate for i: every variable is at the bound that blocks it; the gap is −∞ < ε.
            return false;
        }
        int i = gmaxIdx;
        var qi = GetQ(i, n);
        double qdi = _qd[i];
        int yi = _y[i];
        for (int j = 0; j < n; j++)
        {
            if (_y[j] == 1)
            {
                if (!IsLower(j))
                {
                    double gradDiff = gmax + _g[j];
                    if (_g[j] >= gmax2) gmax2 = _g[j];
                    if (gradDiff > 0)
                    {
                        double quad = qdi + _qd[j] - 2.0 * yi * qi[j];
                        double objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : Tau);
                        if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
                    }
                }
            }
            else
            {
                if (!IsUpper(j))
                {
                    double gradDiff = gmax - _g[j];
                    if (-_g[j] >= gmax2) gmax2 = -_g[j];
                    if (gradDiff > 0)
                    {
                        double quad = qdi + _qd[j] + 2.0 * yi * qi[j];
                        double objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : Tau);
                        if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
                    }
                }
            }
        }
        if (gmax + gmax2 < _eps || gminIdx == -1) return false;
        outJ = gminIdx;
        return true;
    }

    /// <summary>i = argmax { −yₜGₜ | t ∈ I_up } (last index on ties), or −1 when I_up is empty; <paramref name="gmax"/> the maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int MaxViolatingIndex(int n, out double gmax)
    {
        ref double g = ref MemoryMarshal.GetArrayDataReference(_g);
        ref double yd = ref MemoryMarshal.GetArrayDataReference(_yd);
        ref long up = ref MemoryMarshal.GetArrayDataReference(_inUp);
        double best = double.NegativeInfinity;
        int bestIdx = -1;
        int t = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            // Two independent accumulators (elements t..t+3 and t+4..t+7) shorten the compare/select dependency chain.
            var b0 = Vector256.Create(double.NegativeInfinity);
            var b1 = b0;
            var i0 = Vector256.Create(-1L);
            var i1 = i0;
            var idx = Vector256.Create(0L, 1, 2, 3);
            var four = Vector256.Create(4L);
            var eight = Vector256.Create(8L);
            for (; t <= n - 8; t += 8)
            {
                var v0 = -(Vector256.LoadUnsafe(ref yd, (nuint)t) * Vector256.LoadUnsafe(ref g, (nuint)t));
                var v1 = -(Vector256.LoadUnsafe(ref yd, (nuint)t + 4) * Vector256.LoadUnsafe(ref g, (nuint)t + 4));
                var m0 = Vector256.LoadUnsafe(ref up, (nuint)t) & Vector256.GreaterThanOrEqual(v0, b0).AsInt64();
                var m1 = Vector256.LoadUnsafe(ref up, (nuint)t + 4) & Vector256.GreaterThanOrEqual(v1, b1).AsInt64();
                b0 = Vector256.ConditionalSelect(m0.AsDouble(), v0, b0);
                b1 = Vector256.ConditionalSelect(m1.AsDouble(), v1, b1);
                i0 = Vector256.ConditionalSelect(m0, idx, i0);
                i1 = Vector256.ConditionalSelect(m1, idx + four, i1);
                idx += eight;
            }
            for (int lane = 0; lane < 4; lane++)
            {
                MergeMax(b0.GetElement(lane), (int)i0.GetElement(lane), ref best, ref bestIdx);
                MergeMax(b1.GetElement(lane), (int)i1.GetElement(lane), ref best, ref bestIdx);
            }
        }
        for (; t < n; t++)
        {
            double v = -(Unsafe.Add(ref yd, t) * Unsafe.Add(ref g, t));
            if (Unsafe.Add(ref up, t) != 0 && v >= best) { best = v; bestIdx = t; }
        }
        gmax = best;
        return bestIdx;
    }

    /// <summary>Merges one lane's (maximum, last index attaining it) into the running result: larger value, then larger index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeMax(double value, int index, ref double best, ref int bestIdx)
    {
        if (index < 0) return;
        if (value > best || (value == best && index > bestIdx)) { best = value; bestIdx = index; }
    }

    /// <summary>Merges one lane's (minimum, last index attaining it): smaller value, then larger index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeMin(double value, int index, ref double best, ref int bestIdx)
    {
        if (index < 0) return;
        if (value < best || (value == best && index > bestIdx)) { best = value; bestIdx = index; }
    }

    /// <summary>
    /// j = argmin { −b²/a | t ∈ I_low, b = gmax + yₜGₜ &gt; 0 } with a = Q_ii + Q_tt − 2yᵢyₜQᵢₜ (τ when a ≤ 0), last
    /// index on ties, or −1; <paramref name="gmax2"/> = max { yₜGₜ | t ∈ I_low }. <paramref name="twoYi"/> is 2·yᵢ, so
    /// that 2yᵢ·Qᵢₜ is formed exactly as libsvm's <c>2.0*y[i]*Q_i[t]</c> (the sign yₜ is applied exactly).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int MinObjectiveIndex(float[] qi, int n, double gmax, double qdi, double twoYi, out double gmax2)
    {
        ref double g = ref MemoryMarshal.GetArrayDataReference(_g);
        ref double yd = ref MemoryMarshal.GetArrayDataReference(_yd);
        ref double qd = ref MemoryMarshal.GetArrayDataReference(_qd);
        ref long low = ref MemoryMarshal.GetArrayDataReference(_inLow);
        ref float q = ref MemoryMarshal.GetArrayDataReference(qi);
        double best = double.PositiveInfinity, g2 = double.NegativeInfinity;
        int bestIdx = -1;
        int t = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var vgmax = Vector256.Create(gmax);
            var vqdi = Vector256.Create(qdi);
            var v2yi = Vector256.Create(twoYi);
            var tau = Vector256.Create(Tau);
            var b0 = Vector256.Create(double.PositiveInfinity);
            var b1 = b0;
            var m20 = Vector256.Create(double.NegativeInfinity);
            var m21 = m20;
            var i0 = Vector256.Create(-1L);
            var i1 = i0;
            var idx = Vector256.Create(0L, 1, 2, 3);
            var four = Vector256.Create(4L);
            var eight = Vector256.Create(8L);
            for (; t <= n - 8; t += 8)
            {
                var (q0, q1) = Vector256.Widen(Vector256.LoadUnsafe(ref q, (nuint)t));
                var y0 = Vector256.LoadUnsafe(ref yd, (nuint)t);
                var y1 = Vector256.LoadUnsafe(ref yd, (nuint)t + 4);
                var l0 = Vector256.LoadUnsafe(ref low, (nuint)t).AsDouble();
                var l1 = Vector256.LoadUnsafe(ref low, (nuint)t + 4).AsDouble();
                var yg0 = y0 * Vector256.LoadUnsafe(ref g, (nuint)t);
                var yg1 = y1 * Vector256.LoadUnsafe(ref g, (nuint)t + 4);
                m20 = Vector256.ConditionalSelect(l0 & Vector256.GreaterThanOrEqual(yg0, m20), yg0, m20);
                m21 = Vector256.ConditionalSelect(l1 & Vector256.GreaterThanOrEqual(yg1, m21), yg1, m21);
                var gd0 = vgmax + yg0;
                var gd1 = vgmax + yg1;
                var ok0 = l0 & Vector256.GreaterThan(gd0, Vector256<double>.Zero);
                var ok1 = l1 & Vector256.GreaterThan(gd1, Vector256<double>.Zero);
                if ((ok0 | ok1) == Vector256<double>.Zero) { idx += eight; continue; }
                var a0 = (vqdi + Vector256.LoadUnsafe(ref qd, (nuint)t)) - (v2yi * y0) * q0;
                var a1 = (vqdi + Vector256.LoadUnsafe(ref qd, (nuint)t + 4)) - (v2yi * y1) * q1;
                a0 = Vector256.ConditionalSelect(Vector256.GreaterThan(a0, Vector256<double>.Zero), a0, tau);
                a1 = Vector256.ConditionalSelect(Vector256.GreaterThan(a1, Vector256<double>.Zero), a1, tau);
                var o0 = -(gd0 * gd0) / a0;
                var o1 = -(gd1 * gd1) / a1;
                var s0 = (ok0 & Vector256.LessThanOrEqual(o0, b0)).AsInt64();
                var s1 = (ok1 & Vector256.LessThanOrEqual(o1, b1)).AsInt64();
                b0 = Vector256.ConditionalSelect(s0.AsDouble(), o0, b0);
                b1 = Vector256.ConditionalSelect(s1.AsDouble(), o1, b1);
                i0 = Vector256.ConditionalSelect(s0, idx, i0);
                i1 = Vector256.ConditionalSelect(s1, idx + four, i1);
                idx += eight;
            }
            for (int lane = 0; lane < 4; lane++)
            {
                MergeMin(b0.GetElement(lane), (int)i0.GetElement(lane), ref best, ref bestIdx);
                MergeMin(b1.GetElement(lane), (int)i1.GetElement(lane), ref best, ref bestIdx);
            }
            var m2 = Vector256.Max(m20, m21);
            for (int lane = 0; lane < 4; lane++) g2 = Math.Max(g2, m2.GetElement(lane));
        }
        for (; t < n; t++)
        {
            if (Unsafe.Add(ref low, t) == 0) continue;
            double yt = Unsafe.Add(ref yd, t);
            double yg = yt * Unsafe.Add(ref g, t);
            if (yg >= g2) g2 = yg;
            double gradDiff = gmax + yg;
            if (gradDiff > 0)
            {
                double quad = (qdi + Unsafe.Add(ref qd, t)) - (twoYi * yt) * Unsafe.Add(ref q, t);
                double objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : Tau);
                if (objDiff <= best) { best = objDiff; bestIdx = t; }
            }
        }
        gmax2 = g2;
        return bestIdx;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool BeShrunk(int i, double gmax1, double gmax2)
    {
        if (IsUpper(i)) return _y[i] == 1 ? -_g[i] > gmax1 : -_g[i] > gmax2;
        if (IsLower(i)) return _y[i] == 1 ? _g[i] > gmax2 : _g[i] > gmax1;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DoShrinking()
    {
        double gmax1 = double.NegativeInfinity; // max { −yᵢ∇f(α)ᵢ | i ∈ I_up(α) }
        double gmax2 = double.NegativeInfinity; // max {  yᵢ∇f(α)ᵢ | i ∈ I_low(α) }
        for (int i = 0; i < _activeSize; i++)
        {
            if (_y[i] == 1)
            {
                if (!IsUpper(i) && -_g[i] >= gmax1) gmax1 = -_g[i];
                if (!IsLower(i) && _g[i] >= gmax2) gmax2 = _g[i];
            }
            else
            {
                if (!IsUpper(i) && -_g[i] >= gmax2) gmax2 = -_g[i];
                if (!IsLower(i) && _g[i] >= gmax1) gmax1 = _g[i];
            }
        }
        if (!_unshrink && gmax1 + gmax2 <= _eps * 10)
        {
            _unshrink = true;
            ReconstructGradient();
            _activeSize = _l;
        }
        for (int i = 0; i < _activeSize; i++)
        {
            if (!BeShrunk(i, gmax1, gmax2)) continue;
            _activeSize--;
            while (_activeSize > i)
            {
                if (!BeShrunk(_activeSize, gmax1, gmax2))
                {
                    SwapIndex(i, _activeSize);
                    break;
                }
                _activeSize--;
            }
        }
    }

    /// <summary>Recomputes G for the inactive variables from Ḡ and the free α (libsvm's reconstruct_gradient).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReconstructGradient()
    {
        int l = _l, active = _activeSize;
        if (active == l) return;
        int nrFree = 0;
        for (int j = active; j < l; j++) _g[j] = _gBar[j] + _p[j];
        for (int j = 0; j < active; j++) if (IsFree(j)) nrFree++;
        if ((long)nrFree * l > 2L * active * (l - active))
        {
            for (int i = active; i < l; i++)
            {
                var qi = GetQ(i, active);
                double acc = 0;
                for (int j = 0; j < active; j++) if (IsFree(j)) acc += _alpha[j] * qi[j];
                _g[i] += acc;
            }
        }
        else
        {
            for (int i = 0; i < active; i++)
            {
                if (!IsFree(i)) continue;
                var qi = GetQ(i, l);
                double ai = _alpha[i];
                for (int j = active; j < l; j++) _g[j] += ai * qi[j];
            }
        }
    }

    /// <summary>ρ = mean of yᵢGᵢ over free α, or the midpoint of the feasible interval when none is free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double CalculateRho()
    {
        int nrFree = 0;
        double ub = double.PositiveInfinity, lb = double.NegativeInfinity, sumFree = 0;
        for (int i = 0; i < _activeSize; i++)
        {
            double yG = _y[i] * _g[i];
            if (IsUpper(i))
            {
                if (_y[i] == -1) ub = Math.Min(ub, yG); else lb = Math.Max(lb, yG);
            }
            else if (IsLower(i))
            {
                if (_y[i] == 1) ub = Math.Min(ub, yG); else lb = Math.Max(lb, yG);
            }
            else
            {
                nrFree++;
                sumFree += yG;
            }
        }
        return nrFree > 0 ? sumFree / nrFree : (ub + lb) / 2;
    }
}
