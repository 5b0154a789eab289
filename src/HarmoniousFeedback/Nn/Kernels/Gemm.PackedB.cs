using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

public static unsafe partial class Gemm
{
    /// <summary>
    /// Floats needed by <see cref="PackB(bool, int, int, ReadOnlySpan{float}, int, Span{float})"/> for op(B) of
    /// <c>k × n</c>: <c>k · ⌈n / NR⌉ · NR</c> with the machine's register-tile width NR (32 with AVX-512, 16 with AVX2).
    /// </summary>
    public static int PackedBLength(int k, int n) => PackedBLength(k, n, DefaultIsa);

    internal static int PackedBLength(int k, int n, GemmIsa isa) => checked(k * RoundUp(Math.Max(n, 1), Blocking.For(isa).NR));

    /// <summary>
    /// Packs op(B) [k × n] once into the panel layout the microkernels read, for many products against the same B
    /// (<see cref="SgemmPackedB"/>): a recurrent layer multiplies every time step's state by the same W_hh, and packing
    /// it per step (a transposed copy of the whole matrix) costs about as much as the product itself at small batch.
    /// Layout: K cut into the same even blocks as <see cref="Sgemm"/> (block starting at row <c>pc</c>, <c>kc</c> rows,
    /// stored from <c>pc · ⌈n/NR⌉·NR</c>); inside a block, NR-column panels of <c>kc × NR</c> (zero-padded).
    /// </summary>
    public static void PackB(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb, Span<float> packed)
        => PackBCore(transB, k, n, b, ldb, packed, DefaultIsa);

    internal static void PackBCore(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb, Span<float> packed, GemmIsa isa)
    {
        if (k < 0 || n < 0) throw new ArgumentOutOfRangeException(k < 0 ? nameof(k) : nameof(n), $"Gemm.PackB dimensions must be >= 0 (k = {k}, n = {n})");
        CheckOperand("B", transB ? n : k, transB ? k : n, ldb, b.Length, "ldb");
        int need = PackedBLength(k, n, isa);
        if (packed.Length < need) throw new ShapeMismatchException($"Gemm.PackB: the packed buffer has {packed.Length} floats, op(B) [{k} × {n}] needs {need}");
        if (k == 0 || n == 0) return;
        var cfg = Blocking.For(isa);
        int npad = RoundUp(n, cfg.NR);
        fixed (float* pb = b)
        fixed (float* pp = packed)
        {
            var args = new GemmArgs { TransB = transB, N = n, K = k, B = pb, Ldb = ldb, Cfg = cfg };
            int kBlocks = (k + cfg.KC - 1) / cfg.KC, pc = 0;
            for (int kb = 0; kb < kBlocks; kb++)
            {
                int kc = (int)((long)k * (kb + 1) / kBlocks) - pc;
                PackB(ref args, pp + (long)pc * npad, pc, kc, 0, n);
                pc += kc;
            }
        }
    }

    /// <summary>
    /// <see cref="Sgemm"/> with op(B) already packed by <see cref="PackB(bool, int, int, ReadOnlySpan{float}, int, Span{float})"/>
    /// from the same <paramref name="b"/> (which must not have changed since): the result is bit-identical to
    /// <c>Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)</c> — the same microkernel sees the same
    /// panels in the same K blocks, only the copy is skipped (tested for every transpose, shape class and thread count).
    /// Matrix–vector shapes (<c>m == 1</c> or <c>n == 1</c>) take <see cref="Sgemm"/>'s own path on <paramref name="b"/>.
    /// </summary>
    public static void SgemmPackedB(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> packedB, float beta, Span<float> c, int ldc)
        => SgemmPackedBCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, packedB, beta, c, ldc, DefaultIsa, s_maxThreads);

    internal static void SgemmPackedBCore(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> packedB, float beta, Span<float> c, int ldc,
        GemmIsa isa, int maxThreads)
    {
        if (m <= 1 || n <= 1 || k == 0 || alpha == 0)
        {
            SgemmCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, isa, maxThreads);
            return;
        }
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (isa == GemmIsa.Avx512 && !Avx512F.IsSupported || isa == GemmIsa.Avx2 && !(Avx2.IsSupported && Fma.IsSupported))
            throw new PlatformNotSupportedException($"{isa} kernels need hardware support this machine lacks");
        int need = PackedBLength(k, n, isa);
        if (packedB.Length < need) throw new ShapeMismatchException($"Gemm.SgemmPackedB: the packed B has {packedB.Length} floats, op(B) [{k} × {n}] needs {need}");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pp = packedB)
        fixed (float* pc = c)
        {
            var args = new GemmArgs
            {
                TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = pa, Lda = lda, B = pb, Ldb = ldb, C = pc, Ldc = ldc,
                Cfg = Blocking.For(isa), PackedB = pp, PackedNpad = RoundUp(n, Blocking.For(isa).NR),
            };
            long work = (long)m * n * k;
            bool small = work < SmallWork;
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
}
