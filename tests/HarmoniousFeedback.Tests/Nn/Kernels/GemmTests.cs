using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>
/// The packed/threaded SGEMM against <see cref="Gemm.Reference"/> (double accumulator) for every transpose combination,
/// edge tiles, strides, alpha/beta, every microkernel family available on the machine, and 1 or 2 threads.
/// </summary>
public class GemmTests
{
    /// <summary>Instruction sets this machine can run (the scalar kernel always; AVX2/AVX-512 when supported).</summary>
    internal static IEnumerable<GemmIsa> Isas()
    {
        yield return GemmIsa.Scalar;
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported) yield return GemmIsa.Avx2;
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) yield return GemmIsa.Avx512;
    }

    // m, n, k: degenerate, primes, edge tiles around MR (14, 6, 4) and NR (32, 16), tall/skinny, the NN shapes,
    // and sizes above the small-problem threshold and KC (256) so packing, K blocking and threading all run.
    public static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 1, 7), (2, 3, 5), (7, 11, 13), (13, 17, 19), (14, 32, 8), (15, 33, 9), (17, 33, 65),
        (29, 31, 37), (1, 300, 40), (300, 1, 40), (3, 5, 600), (64, 1, 300), (128, 48, 50), (16, 200, 9),
        (45, 97, 300), (70, 130, 270), (100, 64, 513), (257, 129, 64),
    ];

    public static TheoryData<int, int, int, bool, bool> ShapeCases()
    {
        var d = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    d.Add(m, n, k, ta, tb);
        return d;
    }

    [Theory]
    [MemberData(nameof(ShapeCases))]
    public void Matches_reference_for_all_isas_and_thread_counts(int m, int n, int k, bool transA, bool transB)
    {
        Check(Isas(), [1, 2], transA, transB, m, n, k, alpha: 1f, beta: 0f, padA: 0, padB: 0, padC: 0);
    }

    [Theory]
    [InlineData(1.5f, 0.5f)]
    [InlineData(-2f, 1f)]
    [InlineData(0.25f, -3f)]
    [InlineData(1f, 1f)]
    public void Alpha_beta_and_leading_dimensions_larger_than_the_rows(float alpha, float beta)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                Check(Isas(), [2], ta, tb, 23, 41, 19, alpha, beta, padA: 3, padB: 5, padC: 7);
                Check(Isas(), [2], ta, tb, 61, 150, 300, alpha, beta, padA: 1, padB: 17, padC: 2);
            }
    }

    [Fact]
    public void Beta_zero_overwrites_nan_in_c()
    {
        foreach (var isa in Isas())
            foreach (var (m, n, k) in new[] { (5, 7, 3), (40, 70, 300), (15, 33, 0) })
            {
                var a = Random(m * k, 1);
                var b = Random(k * n, 2);
                var c = new float[m * n];
                Array.Fill(c, float.NaN);
                Gemm.SgemmCore(false, false, m, n, k, 1f, a, Math.Max(1, k), b, n, 0f, c, n, isa, 2);
                Assert.All(c, v => Assert.False(float.IsNaN(v)));
                var expected = new float[m * n];
                Gemm.Reference(false, false, m, n, k, 1f, a, Math.Max(1, k), b, n, 0f, expected, n);
                AssertClose(expected, c, k, $"{isa} {m}x{n}x{k}");
            }
    }

    [Fact]
    public void K_zero_or_alpha_zero_scales_c_by_beta_without_reading_a_or_b()
    {
        var c = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        Gemm.Sgemm(false, false, 2, 3, 0, 1f, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 3, 2f, c, 3);
        Assert.Equal(new[] { 2f, 4f, 6f, 8f, 10f, 12f }, c);
        var nanA = new float[2 * 4];
        Array.Fill(nanA, float.NaN);
        Gemm.Sgemm(false, false, 2, 3, 4, 0f, nanA, 4, new float[12], 3, 0.5f, c, 3);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, c);
        Gemm.Sgemm(false, false, 2, 3, 4, 0f, nanA, 4, new float[12], 3, 0f, c, 3);
        Assert.All(c, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Empty_outputs_are_a_no_op()
    {
        Gemm.Sgemm(false, false, 0, 5, 3, 1f, ReadOnlySpan<float>.Empty, 3, new float[15], 5, 0f, Span<float>.Empty, 5);
        Gemm.Sgemm(true, true, 4, 0, 3, 1f, new float[12], 4, ReadOnlySpan<float>.Empty, 3, 0f, Span<float>.Empty, 1);
    }

    [Fact]
    public void Results_are_bit_identical_across_repeats_and_thread_counts()
    {
        foreach (var isa in Isas())
            foreach (var (m, n, k, ta, tb) in new[] { (300, 260, 520, false, false), (128, 512, 128, false, true), (513, 70, 300, true, false), (64, 1200, 288, false, false) })
            {
                var a = Random(m * k, 3);
                var b = Random(k * n, 4);
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] Run(int threads)
                {
                    var c = Random(m * n, 5);
                    Gemm.SgemmCore(ta, tb, m, n, k, 0.75f, a, lda, b, ldb, 0.5f, c, n, isa, threads);
                    return c;
                }
                var one = Run(1);
                Assert.Equal(one, Run(1));
                var two = Run(2);
                Assert.Equal(two, Run(2));
                Assert.Equal(one, two);
                Assert.Equal(one, Run(3));
            }
    }

    [Fact]
    public void Simd_kernels_agree_bit_for_bit()
    {
        // AVX2 and AVX-512 compute every element with the same fused multiply-add chain and the same K blocks.
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        foreach (var (m, n, k) in new[] { (37, 75, 300), (200, 300, 100) })
        {
            var a = Random(m * k, 6);
            var b = Random(k * n, 7);
            var c1 = new float[m * n];
            var c2 = new float[m * n];
            Gemm.SgemmCore(false, false, m, n, k, 1f, a, k, b, n, 0f, c1, n, GemmIsa.Avx512, 2);
            Gemm.SgemmCore(false, false, m, n, k, 1f, a, k, b, n, 0f, c2, n, GemmIsa.Avx2, 2);
            Assert.Equal(c1, c2);
        }
    }

    [Theory]
    [InlineData(512, 50, 384, true, false, 0)]     // an LSTM weight gradient dW_ih = dGatesᵀ·x (lda = 512)
    [InlineData(512, 128, 384, true, false, 0)]    // dW_hh = dGatesᵀ·h_prev
    [InlineData(32, 128, 512, false, false, 0)]    // a backward recurrent step dGates_t·W_hh (two K blocks)
    [InlineData(384, 50, 512, false, false, 0)]    // dX = dGates·W_ih
    [InlineData(32, 512, 128, false, true, 0)]     // a forward recurrent step h·W_hhᵀ
    [InlineData(37, 29, 61, false, false, 3)]      // tiles of 5 and 6 rows, K not a multiple of 8, padded strides
    [InlineData(43, 17, 300, true, true, 5)]
    [InlineData(7, 9, 5, false, true, 0)]
    public void Avx2_kernel_follows_the_documented_fused_multiply_add_order_bit_for_bit(int m, int n, int k, bool ta, bool tb, int pad)
    {
        // The class remarks promise each element = an FMA chain over p inside even K blocks of at most KC, then
        // C = alpha·acc (first block, beta = 0) or fma(beta', C, alpha·acc): packing, tiling and threads must not matter.
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported || !System.Runtime.Intrinsics.X86.Fma.IsSupported) return;
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        var a = Random((ta ? k : m) * lda, 11);
        var b = Random((tb ? n : k) * ldb, 12);
        foreach (var (alpha, beta) in new[] { (1f, 0f), (1f, 1f), (0.75f, -0.5f) })
        {
            var c0 = Random(m * ldc, 13);
            var expected = (float[])c0.Clone();
            int kc0 = Blocking.For(GemmIsa.Avx2).KC, kBlocks = (k + kc0 - 1) / kc0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    ref float cij = ref expected[i * ldc + j];
                    int pc = 0;
                    for (int kb = 0; kb < kBlocks; kb++)
                    {
                        int kc = (int)((long)k * (kb + 1) / kBlocks) - pc;
                        float acc = 0;
                        for (int p = pc; p < pc + kc; p++)
                            acc = MathF.FusedMultiplyAdd(ta ? a[p * lda + i] : a[i * lda + p], tb ? b[j * ldb + p] : b[p * ldb + j], acc);
                        float t = alpha * acc;
                        cij = kb == 0 && beta == 0 ? t : MathF.FusedMultiplyAdd(kb == 0 ? beta : 1f, cij, t);
                        pc += kc;
                    }
                }
            foreach (int threads in new[] { 1, 2 })
            {
                var c = (float[])c0.Clone();
                Gemm.SgemmCore(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmIsa.Avx2, threads);
                for (int i = 0; i < c.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(c[i]),
                        $"C[{i / ldc}, {i % ldc}] = {c[i]:R}, the FMA chain gives {expected[i]:R} (alpha {alpha}, beta {beta}, {threads} threads)");
            }
        }
    }

    [Fact]
    public void Steady_state_calls_do_not_allocate()
    {
        foreach (var (m, n, k, threads) in new[] { (20, 30, 40, 1), (300, 200, 260, 1), (300, 200, 260, 2) })
        {
            var a = Random(m * k, 1);
            var b = Random(k * n, 2);
            var c = new float[m * n];
            void Call() => Gemm.SgemmCore(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n, Gemm.DefaultIsa, threads);
            Call();
            Call();
            // The fewest bytes over three rounds of 5 calls: an allocation per call shows in every round, while a thread-pool
            // work item of a concurrently running test that this thread runs while it waits for its GEMM workers (2 threads)
            // allocates on this thread only now and then — it made this test fail in a full parallel run.
            long fewest = long.MaxValue;
            for (int round = 0; round < 3 && fewest > 0; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 5; i++) Call();
                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.True(fewest == 0, $"{m}×{n}×{k} on {threads} thread(s): {fewest} bytes allocated in every round of 5 steady-state calls");
        }
    }

    [Fact]
    public void Max_threads_is_validated()
    {
        Assert.Contains("MaxThreads = 0 must be in [1, ", Assert.Throws<OptionsValidationException>(() => Gemm.MaxThreads = 0).Message);
        Assert.True(Gemm.MaxThreads >= 1);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_their_values()
    {
        Assert.Contains("m = -1", Assert.Throws<ShapeMismatchException>(() => Gemm.Sgemm(false, false, -1, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[4], 2)).Message);
        var e = Assert.Throws<ShapeMismatchException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, new float[6], 2, new float[6], 2, 0f, new float[4], 2));
        Assert.Contains("lda = 2", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => Gemm.Sgemm(false, true, 2, 4, 3, 1f, new float[6], 3, new float[11], 3, 0f, new float[8], 4));
        Assert.Contains("B has 11 elements", e.Message);
        e = Assert.Throws<ShapeMismatchException>(() => Gemm.Sgemm(false, false, 2, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[3], 2));
        Assert.Contains("C has 3 elements", e.Message);
    }

    [Fact]
    public void Concurrent_callers_get_correct_results()
    {
        // Two threads calling a threaded GEMM at once: one gets the worker pool, the other runs its parts itself.
        const int m = 150, n = 170, k = 260;
        var a = Random(m * k, 8);
        var b = Random(k * n, 9);
        var expected = new float[m * n];
        Gemm.SgemmCore(false, false, m, n, k, 1f, a, k, b, n, 0f, expected, n, Gemm.DefaultIsa, 2);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var c = new float[m * n];
            for (int r = 0; r < 5; r++)
            {
                Gemm.SgemmCore(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, Gemm.DefaultIsa, 2);
                Assert.Equal(expected, c);
            }
        });
    }

    /// <summary>Compares every available kernel with <paramref name="threads"/> threads against one reference result.</summary>
    private static void Check(IEnumerable<GemmIsa> isas, int[] threads, bool ta, bool tb, int m, int n, int k, float alpha, float beta, int padA, int padB, int padC)
    {
        int lda = (ta ? m : k) + padA, ldb = (tb ? k : n) + padB, ldc = n + padC;
        var a = Random(Math.Max(1, (ta ? k : m) * lda), 10 + m);
        var b = Random(Math.Max(1, (tb ? n : k) * ldb), 20 + n);
        var c0 = Random(m * ldc, 30 + k);
        var expected = (float[])c0.Clone();
        Gemm.Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        foreach (var isa in isas)
            foreach (int t in threads)
            {
                var actual = (float[])c0.Clone();
                Gemm.SgemmCore(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc, isa, t);
                AssertClose(expected, actual, k, $"{isa} t{t} {(ta ? "T" : "N")}{(tb ? "T" : "N")} {m}x{n}x{k} a={alpha} b={beta}");
                // Padding columns of C (between n and ldc) must be untouched.
                for (int i = 0; i < m; i++)
                    for (int j = n; j < ldc && i * ldc + j < c0.Length; j++)
                        Assert.Equal(c0[i * ldc + j], actual[i * ldc + j]);
            }
    }

    /// <summary>
    /// Inputs are uniform in [−1, 1). A float32 fused multiply-add chain of k such terms typically errs by
    /// ≈ 2⁻²⁴·√k·|partial sums| ≈ 1e-5 at k = 600 (worst case k²·6e-8). The bound used, 1e-5·(1 + k)·(1 + |expected|),
    /// leaves a wide margin over rounding yet is far below the O(1) error of any indexing or packing mistake.
    /// </summary>
    private static void AssertClose(float[] expected, float[] actual, int k, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float tol = 1e-5f * (1 + k);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i} expected {expected[i]} got {actual[i]} (tol {tol})");
    }

    private static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
