using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Single-precision general matrix multiply, BLAS convention on row-major storage:
/// <c>C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C</c>, with <c>op(X) = X</c> or <c>Xᵀ</c>.
/// <c>lda/ldb/ldc</c> are row strides (elements between consecutive rows as stored).
/// When <c>beta == 0</c>, C is overwritten (NaN/garbage in C is not propagated), as in BLAS.
/// </summary>
/// <remarks>
/// <para><b>Algorithm</b> (Goto/BLIS): op(B) is packed into <c>KC×NR</c> column panels, op(A) into <c>MR×KC</c>
/// row panels, and a register-blocked microkernel computes an <c>MR×NR</c> tile of C with fused multiply-adds
/// (AVX-512: 14×32 tile, 28 <c>Vector512</c> accumulators; AVX2+FMA: 6×16; otherwise a scalar kernel).
/// Loops: N in <c>NC</c> blocks → K in <c>KC</c> blocks (pack B) → M in <c>MC</c> blocks (pack A) → NR panels → MR tiles.
/// The four transpose combinations are handled by the packing routines; the microkernel never sees a transpose.</para>
/// <para><b>Threads and determinism.</b> A call with enough work is split over up to <see cref="MaxThreads"/> threads:
/// C is cut into a fixed set of column (or row) chunks that depends only on the shapes and the thread count, and
/// threads claim chunks until none is left (so a preempted thread does not stall the others). No two threads write
/// the same element and nothing is reduced across threads. Every element is computed the same way whatever the chunk
/// or thread: a fused multiply-add chain over <c>p = 0 … kc−1</c> inside each K block (block boundaries depend only on
/// <c>k</c>), then <c>C = alpha·acc</c> (first block, <c>beta == 0</c>) or <c>C = fma(beta', C, alpha·acc)</c> with
/// <c>beta' = beta</c> for the first block and 1 after. Results are therefore bit-identical run to run
/// <b>and across thread counts</b> (tested), and between the AVX-512 and AVX2 kernels; the scalar fallback does not
/// fuse and may differ in the last bits, as does <see cref="Reference"/> (double accumulator).</para>
/// <para>Matrix–vector products (<c>n == 1</c> or <c>m == 1</c>) take a dot-product/axpy path on the calling thread. Small products
/// (<c>m·n·k</c> below 2¹⁸) run on the calling thread. A non-transposed B is read in place instead
/// of packed when the product is small or op(A) has at most 4·MR rows (each B panel then serves too few tiles to repay
/// the copy). Packing buffers are per-thread, pinned and reused: no allocation per call in steady state.
/// C must not overlap A or B.</para>
/// </remarks>
public static unsafe partial class Gemm
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Upper bound on the threads one <see cref="Sgemm"/> call uses (default <see cref="Environment.ProcessorCount"/>).
    /// Smaller products use fewer threads. Results do not depend on this value.
    /// </summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            if (value < 1 || value > KernelParallel.MaxParticipants)
                throw new OptionsValidationException(nameof(Gemm), [$"MaxThreads = {value} must be in [1, {KernelParallel.MaxParticipants}]"]);
            s_maxThreads = value;
        }
    }

    /// <summary>Below this many multiply-adds (<c>m·n·k</c>) a call is single-threaded and B is not packed when not transposed.</summary>
    internal const long SmallWork = 1L << 18;

    /// <summary>B is read in place (not packed) when op(A) has at most this many register tiles of rows.</summary>
    private const int DirectBMaxRows = 4;

    /// <summary>Minimum multiply-adds per extra thread before a call is split.</summary>
    internal const long WorkPerThread = 1L << 19;

    /// <summary>The instruction set the kernels use on this machine.</summary>
    public static string InstructionSet => Describe(DefaultIsa);

    internal static readonly GemmIsa DefaultIsa =
        Avx512F.IsSupported ? GemmIsa.Avx512 : Avx2.IsSupported && Fma.IsSupported ? GemmIsa.Avx2 : GemmIsa.Scalar;

    internal static string Describe(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => "AVX-512F (14x32 microkernel)",
        GemmIsa.Avx2 => "AVX2+FMA (6x16 microkernel)",
        _ => "scalar (4x4 microkernel)",
    };

    /// <summary>
    /// <c>C = alpha · op(A) · op(B) + beta · C</c> on row-major storage (see the class remarks).
    /// </summary>
    /// <param name="transA">Use Aᵀ: A is stored <c>[k × m]</c> with row stride <paramref name="lda"/> (else <c>[m × k]</c>).</param>
    /// <param name="transB">Use Bᵀ: B is stored <c>[n × k]</c> with row stride <paramref name="ldb"/> (else <c>[k × n]</c>).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B). <c>k == 0</c> gives <c>C = beta·C</c>.</param>
    /// <param name="alpha">Scale of the product; <c>alpha == 0</c> gives <c>C = beta·C</c> without reading A or B.</param>
    /// <param name="a">Storage of A (<c>[m × k]</c>, or <c>[k × m]</c> when <paramref name="transA"/>).</param>
    /// <param name="lda">Row stride of the stored A, at least its column count.</param>
    /// <param name="b">Storage of B (<c>[k × n]</c>, or <c>[n × k]</c> when <paramref name="transB"/>).</param>
    /// <param name="ldb">Row stride of the stored B, at least its column count.</param>
    /// <param name="beta">Scale of the old C; 0 means C is overwritten without being read.</param>
    /// <param name="c">Storage of C <c>[m × n]</c>, updated in place; must not overlap A or B.</param>
    /// <param name="ldc">Row stride of C, at least <paramref name="n"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ShapeMismatchException">A leading dimension is smaller than the stored row, or a span is too short.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => SgemmCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, DefaultIsa, s_maxThreads);

    /// <summary>Plain triple loop with a double accumulator: the reference the fast kernel is tested against.</summary>
    public static void Reference(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    acc += (double)av * bv;
                }
                float prev = beta == 0 ? 0 : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * acc) + prev;
            }
    }

    /// <summary><see cref="Sgemm"/> with an explicit instruction set and thread bound (tests and benchmarks).</summary>
    internal static void SgemmCore(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        GemmIsa isa, int maxThreads)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (isa == GemmIsa.Avx512 && !Avx512F.IsSupported || isa == GemmIsa.Avx2 && !(Avx2.IsSupported && Fma.IsSupported))
            throw new PlatformNotSupportedException($"{isa} kernels need hardware support this machine lacks");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (k == 0 || alpha == 0)
            {
                ScaleC(pc, m, n, ldc, beta);
                return;
            }
            if (n == 1)
            {
                // Matrix–vector products: a 14×32 register tile would be 1/32 (or 1/14) used.
                // C[:, 0] = op(A)·x with x = op(B)[:, 0].
                Gemv(transA, m, k, alpha, pa, lda, pb, transB ? 1 : ldb, beta, pc, ldc, isa != GemmIsa.Scalar);
                return;
            }
            if (m == 1)
            {
                // C[0, :]ᵀ = op(B)ᵀ·x with x = op(A)[0, :]; op(B)ᵀ is B as stored when transB, else Bᵀ.
                Gemv(!transB, n, k, alpha, pb, ldb, pa, transA ? lda : 1, beta, pc, 1, isa != GemmIsa.Scalar);
                return;
            }
            var args = new GemmArgs
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = pa, Lda = lda, B = pb, Ldb = ldb, C = pc, Ldc = ldc,
                Cfg = Blocking.For(isa),
            };
            long work = (long)m * n * k;
            bool small = work < SmallWork;
            // Reading B in place skips a copy of k·n elements; it pays when few A tiles reuse each packed panel.
            args.DirectB = !transB && (small || m <= DirectBMaxRows * args.Cfg.MR);
            int threads = small ? 1 : (int)Math.Clamp(work / WorkPerThread, 1, Math.Max(1, maxThreads));
            Partition(ref args, threads);
            if (args.Parts <= 1)
            {
                RunPart(ref args, 0, m, 0, n);
                return;
            }
            var job = t_job ??= new GemmJob();
            job.Args = args;
            job.Reset();
            try { KernelParallel.Run(job, args.Parts); }
            finally { job.Args = default; }
        }
    }

    private static void Validate(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ShapeMismatchException($"Sgemm dimensions must be ≥ 0 (m = {m}, n = {n}, k = {k})");
        CheckOperand("A", transA ? k : m, transA ? m : k, lda, aLen, "lda");
        CheckOperand("B", transB ? n : k, transB ? k : n, ldb, bLen, "ldb");
        CheckOperand("C", m, n, ldc, cLen, "ldc");
    }

    private static void CheckOperand(string name, int rows, int cols, int ld, int len, string ldName)
    {
        if (ld < Math.Max(1, cols))
            throw new ShapeMismatchException($"Sgemm: {ldName} = {ld} but {name} is stored with {cols} columns per row ({ldName} must be >= max(1, {cols}))");
        if (rows == 0 || cols == 0) return;
        long need = (long)(rows - 1) * ld + cols;
        if (len < need)
            throw new ShapeMismatchException($"Sgemm: {name} has {len} elements but a {rows}x{cols} matrix with {ldName} = {ld} needs {need}");
    }

    private static void ScaleC(float* c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // ---------------------------------------------------------------- partition and driver

    [ThreadStatic] private static GemmJob? t_job;
    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;

    private sealed class GemmJob : KernelJob
    {
        public GemmArgs Args;
        private int _next;

        public void Reset() => _next = 0;

        /// <summary>Each participant claims chunks of the fixed partition until none is left.</summary>
        public override void Execute(int participant, int count)
        {
            ref var g = ref Args;
            int chunk;
            while ((chunk = Interlocked.Increment(ref _next) - 1) < g.Chunks)
            {
                if (g.SplitN)
                {
                    int tiles = (g.N + g.Cfg.NR - 1) / g.Cfg.NR;
                    int t0 = (int)((long)tiles * chunk / g.Chunks), t1 = (int)((long)tiles * (chunk + 1) / g.Chunks);
                    int j0 = t0 * g.Cfg.NR, j1 = Math.Min(g.N, t1 * g.Cfg.NR);
                    if (j1 > j0) RunPart(ref g, 0, g.M, j0, j1);
                }
                else
                {
                    int tiles = (g.M + g.Cfg.MR - 1) / g.Cfg.MR;
                    int t0 = (int)((long)tiles * chunk / g.Chunks), t1 = (int)((long)tiles * (chunk + 1) / g.Chunks);
                    int i0 = t0 * g.Cfg.MR, i1 = Math.Min(g.M, t1 * g.Cfg.MR);
                    if (i1 > i0) RunPart(ref g, i0, i1, 0, g.N);
                }
            }
        }
    }

    /// <summary>Chunks per thread: more chunks balance better when a thread is preempted, but each chunk repacks one operand.</summary>
    private const int ChunksPerThread = 2;

    /// <summary>Minimum register tiles (of the split dimension) per chunk.</summary>
    private const int MinTilesPerChunk = 4;

    /// <summary>
    /// Fixes the partition of C: <c>Chunks</c> column (or row) ranges, claimed by <c>Parts</c> threads. Splitting N repacks A
    /// in every chunk, splitting M repacks B: split the dimension whose other operand is smaller, if it has a tile per thread.
    /// </summary>
    private static void Partition(ref GemmArgs g, int threads)
    {
        int nTiles = (g.N + g.Cfg.NR - 1) / g.Cfg.NR, mTiles = (g.M + g.Cfg.MR - 1) / g.Cfg.MR;
        g.Parts = 1;
        g.Chunks = 1;
        if (threads <= 1) return;
        bool preferN = g.N >= g.M;
        if (preferN && nTiles < threads && mTiles >= threads) preferN = false;
        if (!preferN && mTiles < threads && nTiles >= threads) preferN = true;
        int tiles = preferN ? nTiles : mTiles;
        g.SplitN = preferN;
        g.Parts = Math.Min(threads, tiles);
        g.Chunks = Math.Max(g.Parts, Math.Min(g.Parts * ChunksPerThread, tiles / MinTilesPerChunk));
    }

    /// <summary>Computes C[i0:i1, j0:j1] (one part of the partition) on the calling thread.</summary>
    private static void RunPart(ref GemmArgs g, int i0, int i1, int j0, int j1)
    {
        var cfg = g.Cfg;
        int k = g.K;
        int kBlocks = (k + cfg.KC - 1) / cfg.KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int ncMax = Math.Min(cfg.NC, RoundUp(j1 - j0, cfg.NR));
        int mcMax = Math.Min(cfg.MC, i1 - i0);
        float* packA = Buffer(ref t_packA, ((mcMax + cfg.MR - 1) / cfg.MR + 1) * cfg.MR * kcMax);
        float* packB = g.PackedB != null ? null : Buffer(ref t_packB, g.DirectB ? cfg.NR * kcMax : ncMax * kcMax);

        for (int jc = j0; jc < j1; jc += cfg.NC)
        {
            int nc = Math.Min(cfg.NC, j1 - jc);
            int pc = 0;
            for (int kb = 0; kb < kBlocks; kb++)
            {
                // Even K blocks: boundaries depend only on k, so every element sees the same summation order.
                int kc = (int)((long)k * (kb + 1) / kBlocks) - pc;
                bool first = kb == 0;
                bool overwrite = first && g.Beta == 0;
                float betaEff = first ? g.Beta : 1f;
                if (!g.DirectB && g.PackedB == null) PackB(ref g, packB, pc, kc, jc, nc);
                for (int ic = i0; ic < i1; ic += cfg.MC)
                {
                    int mc = Math.Min(cfg.MC, i1 - ic);
                    int tiles = (mc + cfg.MR - 1) / cfg.MR;
                    PackA(ref g, packA, ic, mc, tiles, pc, kc);
                    for (int jr = 0; jr < nc; jr += cfg.NR)
                    {
                        int nr = Math.Min(cfg.NR, nc - jr);
                        float* bp;
                        nint bs;
                        if (g.PackedB != null)
                        {
                            // Pre-packed: panel of columns jc + jr (a multiple of NR) in the K block starting at pc.
                            bp = g.PackedB + (long)pc * g.PackedNpad + (long)(jc + jr) * kc;
                            bs = cfg.NR;
                        }
                        else if (!g.DirectB)
                        {
                            bp = packB + (long)jr * kc;
                            bs = cfg.NR;
                        }
                        else if (nr == cfg.NR)
                        {
                            bp = g.B + (long)pc * g.Ldb + jc + jr;
                            bs = g.Ldb;
                        }
                        else
                        {
                            PackBPanel(ref g, packB, pc, kc, jc + jr, nr);
                            bp = packB;
                            bs = cfg.NR;
                        }
                        int baseRows = mc / tiles, extra = mc % tiles;
                        for (int t = 0; t < tiles; t++)
                        {
                            int rows = baseRows + (t < extra ? 1 : 0);
                            int r0 = t * baseRows + Math.Min(t, extra);
                            float* cp = g.C + (long)(ic + r0) * g.Ldc + jc + jr;
                            Microkernel(cfg.Isa, rows, kc, packA + (long)t * cfg.MR * kc, bp, bs, cp, g.Ldc, nr, g.Alpha, betaEff, overwrite);
                        }
                    }
                }
                pc += kc;
            }
        }
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>A 64-byte-aligned pinned per-thread buffer of at least <paramref name="len"/> floats.</summary>
    private static float* Buffer(ref float[]? arr, int len)
    {
        if (arr is null || arr.Length < len + 16) arr = GC.AllocateUninitializedArray<float>(len + 16, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(arr));
        return (float*)((p + 63) & ~(nint)63);
    }

    // ---------------------------------------------------------------- n == 1: matrix–vector

    [ThreadStatic] private static float[]? t_gemv;

    /// <summary>
    /// <c>c[i·incc] = alpha·Σ_p op(M)[i, p]·x[p·incx] + beta·c[i·incc]</c> for i &lt; rows, with op(M) = M stored
    /// <c>[rows × k]</c>, or Mᵀ with M stored <c>[k × rows]</c> when <paramref name="transM"/>; single-threaded (memory-bound).
    /// Fixed summation order: without transpose, eight-lane partial sums over p in order, summed lane-wise, then the
    /// tail; with transpose, one fused multiply-add per p in order for every element.
    /// </summary>
    private static void Gemv(bool transM, int rows, int k, float alpha, float* mat, int ldm, float* xs, long incx,
        float beta, float* c, long incc, bool simd)
    {
        simd &= Vector256.IsHardwareAccelerated && Fma.IsSupported;
        float* buf = Buffer(ref t_gemv, k + rows + 32);
        float* x = buf, y = buf + ((k + 15) & ~15);
        if (incx == 1) x = xs;
        else for (int p = 0; p < k; p++) x[p] = xs[p * incx];
        if (!transM)
        {
            for (int i = 0; i < rows; i++) y[i] = Dot(mat + (long)i * ldm, x, k, simd);
        }
        else
        {
            // y = Mᵀx with M stored [k × rows]: y += x[p]·M[p, :] for p = 0 … k−1.
            new Span<float>(y, rows).Clear();
            for (int p = 0; p < k; p++)
            {
                float* row = mat + (long)p * ldm;
                float xp = x[p];
                int i = 0;
                if (simd)
                {
                    var vx = Vector256.Create(xp);
                    for (; i + 8 <= rows; i += 8) Vector256.Store(Fma.MultiplyAdd(Vector256.Load(row + i), vx, Vector256.Load(y + i)), y + i);
                }
                for (; i < rows; i++) y[i] = MathF.FusedMultiplyAdd(row[i], xp, y[i]);
            }
        }
        for (int i = 0; i < rows; i++)
        {
            ref float ci = ref c[i * incc];
            float t = alpha * y[i];
            ci = beta == 0 ? t : MathF.FusedMultiplyAdd(beta, ci, t);
        }
    }

    private static float Dot(float* u, float* v, int k, bool simd)
    {
        int p = 0;
        float s = 0;
        if (simd && k >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; p + 8 <= k; p += 8) acc = Fma.MultiplyAdd(Vector256.Load(u + p), Vector256.Load(v + p), acc);
            s = Vector256.Sum(acc);
        }
        for (; p < k; p++) s = MathF.FusedMultiplyAdd(u[p], v[p], s);
        return s;
    }

    // ---------------------------------------------------------------- packing

    /// <summary>
    /// Packs op(A)[ic:ic+mc, pc:pc+kc] into <paramref name="tiles"/> row panels of stride MR, panel t holding the
    /// rows of tile t (tiles share mc rows evenly); element (r, p) of a panel is at <c>p·MR + r</c>.
    /// </summary>
    private static void PackA(ref GemmArgs g, float* dst, int ic, int mc, int tiles, int pc, int kc)
    {
        if (g.Cfg.Isa == GemmIsa.Avx2)
        {
            if (g.TransA) PackATransAvx2(ref g, dst, ic, mc, tiles, pc, kc);
            else PackANoTransAvx2(ref g, dst, ic, mc, tiles, pc, kc);
            return;
        }
        int mr = g.Cfg.MR;
        int baseRows = mc / tiles, extra = mc % tiles;
        for (int t = 0; t < tiles; t++)
        {
            int rows = baseRows + (t < extra ? 1 : 0);
            int r0 = ic + t * baseRows + Math.Min(t, extra);
            float* d = dst + (long)t * mr * kc;
            if (!g.TransA && g.Cfg.Isa == GemmIsa.Avx512)
            {
                // A(i, p) = a[i·lda + p]: transpose 16×16 blocks in registers (rows beyond the tile read as 0).
                var keep = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(mr)).AsSingle();
                for (int p0 = 0; p0 < kc; p0 += 16)
                    Transpose16(g.A + (long)r0 * g.Lda + pc + p0, g.Lda, rows, Math.Min(16, kc - p0), d + (long)p0 * mr, mr, keep, fullStore: false);
            }
            else if (!g.TransA)
            {
                // A(i, p) = a[i·lda + p]: read rows contiguously, write with stride MR.
                for (int r = 0; r < rows; r++)
                {
                    float* s = g.A + (long)(r0 + r) * g.Lda + pc;
                    float* dd = d + r;
                    int p = 0;
                    for (; p + 4 <= kc; p += 4)
                    {
                        dd[0] = s[p]; dd[mr] = s[p + 1]; dd[2 * mr] = s[p + 2]; dd[3 * mr] = s[p + 3];
                        dd += 4 * mr;
                    }
                    for (; p < kc; p++, dd += mr) *dd = s[p];
                }
            }
            else
            {
                // A(i, p) = a[p·lda + i]: each k step is a contiguous run of `rows` floats.
                if (g.Cfg.Isa == GemmIsa.Avx512 && mr <= 16)
                {
                    var lm = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rows)).AsSingle();
                    var sm = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(mr)).AsSingle();
                    float* s = g.A + (long)pc * g.Lda + r0;
                    for (int p = 0; p < kc; p++, s += g.Lda)
                        Avx512F.MaskStore(d + (long)p * mr, sm, Avx512F.MaskLoad(s, lm, Vector512<float>.Zero));
                }
                else
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = g.A + (long)(pc + p) * g.Lda + r0;
                        float* dd = d + (long)p * mr;
                        for (int r = 0; r < rows; r++) dd[r] = s[r];
                    }
            }
        }
    }

    /// <summary>Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column panels (element (p, j) at <c>p·NR + j</c>), zero-padded.</summary>
    private static void PackB(ref GemmArgs g, float* dst, int pc, int kc, int jc, int nc)
    {
        int nr = g.Cfg.NR;
        for (int jr = 0; jr < nc; jr += nr)
            PackBPanel(ref g, dst + (long)jr * kc, pc, kc, jc + jr, Math.Min(nr, nc - jr));
    }

    private static void PackBPanel(ref GemmArgs g, float* d, int pc, int kc, int j, int width)
    {
        int nr = g.Cfg.NR;
        if (!g.TransB)
        {
            float* s = g.B + (long)pc * g.Ldb + j;
            if (width == nr && nr == 32 && Vector512.IsHardwareAccelerated)
            {
                for (int p = 0; p < kc; p++, s += g.Ldb, d += nr)
                {
                    Vector512.Store(Vector512.Load(s), d);
                    Vector512.Store(Vector512.Load(s + 16), d + 16);
                }
                return;
            }
            for (int p = 0; p < kc; p++, s += g.Ldb, d += nr)
            {
                int jj = 0;
                for (; jj < width; jj++) d[jj] = s[jj];
                for (; jj < nr; jj++) d[jj] = 0;
            }
        }
        else if (g.Cfg.Isa == GemmIsa.Avx512 && nr == 32)
        {
            // B(p, j) = b[j·ldb + p]: transpose 16×16 blocks of the stored rows (missing rows become the zero padding).
            var all = Vector512<float>.AllBitsSet;
            for (int half = 0; half < 2; half++)
            {
                int rows = Math.Clamp(width - 16 * half, 0, 16);
                float* s = g.B + (long)(j + 16 * half) * g.Ldb + pc;
                for (int p0 = 0; p0 < kc; p0 += 16)
                    Transpose16(s + p0, g.Ldb, rows, Math.Min(16, kc - p0), d + (long)p0 * nr + 16 * half, nr, all, fullStore: true);
            }
        }
        else
        {
            // B(p, j) = b[j·ldb + p]: read each stored row contiguously, write with stride NR.
            for (int jj = 0; jj < width; jj++)
            {
                float* s = g.B + (long)(j + jj) * g.Ldb + pc;
                float* dd = d + jj;
                int p = 0;
                for (; p + 4 <= kc; p += 4)
                {
                    dd[0] = s[p]; dd[nr] = s[p + 1]; dd[2 * nr] = s[p + 2]; dd[3 * nr] = s[p + 3];
                    dd += 4 * nr;
                }
                for (; p < kc; p++, dd += nr) *dd = s[p];
            }
            if (width < nr)
                for (int p = 0; p < kc; p++)
                    for (int jj = width; jj < nr; jj++) d[(long)p * nr + jj] = 0;
        }
    }

    /// <summary>
    /// Transposes a block of <paramref name="rows"/> ≤ 16 rows (stride <paramref name="lds"/>) by <paramref name="cols"/> ≤ 16
    /// columns: column j is written as 16 lanes (lane r = row r, 0 for r ≥ rows) to <c>d + j·ldd</c>, all lanes when
    /// <paramref name="fullStore"/>, else the lanes set in <paramref name="storeMask"/>. Reads nothing outside the block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose16(float* s, nint lds, int rows, int cols, float* d, nint ldd, Vector512<float> storeMask, bool fullStore)
    {
        var lm = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols)).AsSingle();
        var z = Vector512<float>.Zero;
        Vector512<float> r0 = rows > 0 ? Avx512F.MaskLoad(s, lm, z) : z, r1 = rows > 1 ? Avx512F.MaskLoad(s + lds, lm, z) : z;
        Vector512<float> r2 = rows > 2 ? Avx512F.MaskLoad(s + 2 * lds, lm, z) : z, r3 = rows > 3 ? Avx512F.MaskLoad(s + 3 * lds, lm, z) : z;
        Vector512<float> r4 = rows > 4 ? Avx512F.MaskLoad(s + 4 * lds, lm, z) : z, r5 = rows > 5 ? Avx512F.MaskLoad(s + 5 * lds, lm, z) : z;
        Vector512<float> r6 = rows > 6 ? Avx512F.MaskLoad(s + 6 * lds, lm, z) : z, r7 = rows > 7 ? Avx512F.MaskLoad(s + 7 * lds, lm, z) : z;
        Vector512<float> r8 = rows > 8 ? Avx512F.MaskLoad(s + 8 * lds, lm, z) : z, r9 = rows > 9 ? Avx512F.MaskLoad(s + 9 * lds, lm, z) : z;
        Vector512<float> r10 = rows > 10 ? Avx512F.MaskLoad(s + 10 * lds, lm, z) : z, r11 = rows > 11 ? Avx512F.MaskLoad(s + 11 * lds, lm, z) : z;
        Vector512<float> r12 = rows > 12 ? Avx512F.MaskLoad(s + 12 * lds, lm, z) : z, r13 = rows > 13 ? Avx512F.MaskLoad(s + 13 * lds, lm, z) : z;
        Vector512<float> r14 = rows > 14 ? Avx512F.MaskLoad(s + 14 * lds, lm, z) : z, r15 = rows > 15 ? Avx512F.MaskLoad(s + 15 * lds, lm, z) : z;

        // Stage 1: interleave pairs of rows (32-bit), per 128-bit lane.
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);
        // Stage 2: interleave 64-bit pairs: u[4g + c] holds rows 4g..4g+3 of column 4L + c in 128-bit lane L.
        var u0 = Lo64(t0, t2); var u1 = Hi64(t0, t2); var u2 = Lo64(t1, t3); var u3 = Hi64(t1, t3);
        var u4 = Lo64(t4, t6); var u5 = Hi64(t4, t6); var u6 = Lo64(t5, t7); var u7 = Hi64(t5, t7);
        var u8 = Lo64(t8, t10); var u9 = Hi64(t8, t10); var u10 = Lo64(t9, t11); var u11 = Hi64(t9, t11);
        var u12 = Lo64(t12, t14); var u13 = Hi64(t12, t14); var u14 = Lo64(t13, t15); var u15 = Hi64(t13, t15);
        // Stage 3: gather 128-bit lane L of u[c], u[4+c], u[8+c], u[12+c] into column 4L + c.
        Column4(u0, u4, u8, u12, 0, d, ldd, cols, storeMask, fullStore);
        Column4(u1, u5, u9, u13, 1, d, ldd, cols, storeMask, fullStore);
        Column4(u2, u6, u10, u14, 2, d, ldd, cols, storeMask, fullStore);
        Column4(u3, u7, u11, u15, 3, d, ldd, cols, storeMask, fullStore);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lo64(Vector512<float> a, Vector512<float> b) => Avx512F.UnpackLow(a.AsDouble(), b.AsDouble()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Hi64(Vector512<float> a, Vector512<float> b) => Avx512F.UnpackHigh(a.AsDouble(), b.AsDouble()).AsSingle();

    /// <summary>Writes columns c, 4 + c, 8 + c, 12 + c (those below <paramref name="cols"/>) from the stage-2 vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column4(Vector512<float> a, Vector512<float> b, Vector512<float> e, Vector512<float> f, int c,
        float* d, nint ldd, int cols, Vector512<float> storeMask, bool fullStore)
    {
        var v = Avx512F.Shuffle4x128(a, b, 0b10_00_10_00);   // [a.L0, a.L2, b.L0, b.L2]
        var w = Avx512F.Shuffle4x128(a, b, 0b11_01_11_01);   // [a.L1, a.L3, b.L1, b.L3]
        var v2 = Avx512F.Shuffle4x128(e, f, 0b10_00_10_00);
        var w2 = Avx512F.Shuffle4x128(e, f, 0b11_01_11_01);
        Put(Avx512F.Shuffle4x128(v, v2, 0b10_00_10_00), c, d, ldd, cols, storeMask, fullStore);       // lane 0 → column c
        Put(Avx512F.Shuffle4x128(w, w2, 0b10_00_10_00), 4 + c, d, ldd, cols, storeMask, fullStore);   // lane 1 → column 4 + c
        Put(Avx512F.Shuffle4x128(v, v2, 0b11_01_11_01), 8 + c, d, ldd, cols, storeMask, fullStore);   // lane 2 → column 8 + c
        Put(Avx512F.Shuffle4x128(w, w2, 0b11_01_11_01), 12 + c, d, ldd, cols, storeMask, fullStore);  // lane 3 → column 12 + c
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector512<float> v, int j, float* d, nint ldd, int cols, Vector512<float> storeMask, bool fullStore)
    {
        if (j >= cols) return;
        if (fullStore) Vector512.Store(v, d + j * ldd);
        else Avx512F.MaskStore(d + j * ldd, storeMask, v);
    }

    // ---------------------------------------------------------------- microkernel dispatch

    private static void Microkernel(GemmIsa isa, int rows, int kc, float* a, float* b, nint bs, float* c, nint ldc,
        int width, float alpha, float beta, bool overwrite)
    {
        switch (isa)
        {
            case GemmIsa.Avx512: Kernel512(rows, kc, a, b, bs, c, ldc, width, alpha, beta, overwrite); break;
            case GemmIsa.Avx2: Kernel256(rows, kc, a, b, bs, c, ldc, width, alpha, beta, overwrite); break;
            default: KernelScalar(rows, kc, a, b, bs, c, ldc, width, alpha, beta, overwrite); break;
        }
    }

    /// <summary>Scalar MR×NR = 4×4 microkernel (no fused multiply-add: used only where SIMD is unavailable).</summary>
    private static void KernelScalar(int rows, int kc, float* a, float* b, nint bs, float* c, nint ldc,
        int width, float alpha, float beta, bool overwrite)
    {
        const int MR = 4, NR = 4;
        float* acc = stackalloc float[MR * NR];
        for (int i = 0; i < MR * NR; i++) acc[i] = 0;
        for (int p = 0; p < kc; p++, a += MR, b += bs)
            for (int r = 0; r < rows; r++)
            {
                float av = a[r];
                for (int j = 0; j < NR; j++) acc[r * NR + j] += av * b[j];
            }
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < width; j++)
            {
                float t = alpha * acc[r * NR + j];
                ref float cij = ref c[r * ldc + j];
                cij = overwrite ? t : beta * cij + t;
            }
    }
}

/// <summary>Which microkernel family a GEMM uses.</summary>
internal enum GemmIsa { Scalar, Avx2, Avx512 }

/// <summary>Register tile (MR×NR) and cache blocking (KC, MC, NC) of one microkernel family.</summary>
internal readonly record struct Blocking(GemmIsa Isa, int MR, int NR, int KC, int MC, int NC)
{
    public static Blocking For(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => Avx512Blocking,
        GemmIsa.Avx2 => Avx2Blocking,
        _ => new(GemmIsa.Scalar, 4, 4, 256, 64, 1024),
    };

    public static readonly Blocking Avx2Blocking = new(GemmIsa.Avx2, 6, 16, 256, 120, 3072);

    /// <summary>
    /// 14×32 tile: 28 zmm accumulators + 2 B vectors + 1 broadcast of A = 31 of 32 registers.
    /// KC·NR·4 B (the B micro-panel reused across all A tiles) fits the 48 KiB L1; the MC×KC A block fits L2.
    /// </summary>
    public static readonly Blocking Avx512Blocking = new(GemmIsa.Avx512, 14, 32, 256, 280, 4096);
}

/// <summary>Everything one GEMM call needs, passed by reference to the driver and the parts.</summary>
internal unsafe struct GemmArgs
{
    public bool TransA, TransB, DirectB, SplitN;
    public int M, N, K, Lda, Ldb, Ldc, Parts, Chunks;
    public float Alpha, Beta;
    public float* A, B, C;
    public Blocking Cfg;
    /// <summary>op(B) packed in advance (<see cref="Gemm.PackB(bool, int, int, ReadOnlySpan{float}, int, Span{float})"/>), or null; row stride of a K block = <c>PackedNpad</c>.</summary>
    public float* PackedB;
    public int PackedNpad;
}
