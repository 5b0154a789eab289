using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>
/// <see cref="Gemm.SgemmPackedB"/> (op(B) packed once, e.g. a recurrent layer's W_hh for all time steps) against
/// <see cref="Gemm.SgemmCore"/> on the same operands: the contract is bit-identity, not closeness, because the recurrent
/// kernels switched to it without changing any trained weight.
/// </summary>
public class GemmPackedBTests
{
    // Every shape of GemmTests (degenerate, edge tiles, K blocking above KC = 256, threading above 2^18 work) plus the
    // recurrent step shapes: LSTM forward [B × 4H]·[H] and backward [B × H]·[4H] with H = 128, batch 1, 32 and 44.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        .. GemmTests.Shapes, (32, 512, 128), (32, 128, 512), (44, 512, 128), (1, 512, 128), (32, 384, 128), (6, 1000, 600),
    ];

    public static TheoryData<int, int, int, bool, bool> Cases()
    {
        var d = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    d.Add(m, n, k, ta, tb);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Packed_b_product_is_bit_identical_to_sgemm_for_every_isa_and_thread_count(int m, int n, int k, bool transA, bool transB)
    {
        foreach (var isa in GemmTests.Isas())
            foreach (int threads in new[] { 1, 2 })
                foreach (var (alpha, beta) in new[] { (1f, 0f), (1f, 1f), (0.75f, -0.5f) })
                {
                    int padB = 3;
                    int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + padB, ldc = n + 2;
                    var a = Random(Math.Max(1, (transA ? k : m) * lda), 11);
                    var b = Random(Math.Max(1, (transB ? n : k) * ldb), 12);
                    var c0 = Random(m * ldc, 13);
                    var expected = (float[])c0.Clone();
                    var actual = (float[])c0.Clone();
                    Gemm.SgemmCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc, isa, threads);
                    var packed = new float[Gemm.PackedBLength(k, n, isa)];
                    Gemm.PackBCore(transB, k, n, b, ldb, packed, isa);
                    Gemm.SgemmPackedBCore(transA, transB, m, n, k, alpha, a, lda, b, ldb, packed, beta, actual, ldc, isa, threads);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{isa}, {threads} thread(s), alpha {alpha}, beta {beta}: packed-B result differs from Sgemm");
                }
    }

    [Fact]
    public void Packing_once_serves_many_products_without_allocating()
    {
        const int m = 32, n = 512, k = 128;
        var b = Random(n * k, 1);
        var packed = new float[Gemm.PackedBLength(k, n)];
        Gemm.PackB(true, k, n, b, k, packed);
        var a = Random(m * k, 2);
        var c = new float[m * n];
        var expected = new float[m * n];
        for (int step = 0; step < 3; step++)
        {
            Gemm.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 1f, expected, n);
            Gemm.SgemmPackedB(false, true, m, n, k, 1f, a, k, b, k, packed, 1f, c, n);
        }
        Assert.Equal(expected, c);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Gemm.SgemmPackedBCore(false, true, m, n, k, 1f, a, k, b, k, packed, 1f, c, n, Gemm.DefaultIsa, 1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Too_small_packed_buffer_is_rejected_with_the_sizes()
    {
        var b = new float[10 * 20];
        var e = Assert.Throws<ShapeMismatchException>(() => Gemm.PackB(false, 10, 20, b, 20, new float[5]));
        Assert.Contains("5 floats", e.Message, StringComparison.Ordinal);
        Assert.Contains($"needs {Gemm.PackedBLength(10, 20)}", e.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ShapeMismatchException>(() =>
            Gemm.SgemmPackedB(false, false, 4, 20, 10, 1f, new float[40], 10, b, 20, new float[5], 0f, new float[80], 20));
        Assert.Contains("5 floats", e2.Message, StringComparison.Ordinal);
    }

    private static float[] Random(int n, int seed)
    {
        var rng = new HarmoniousFeedback.Nn.NnRng((ulong)seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
