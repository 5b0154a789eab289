namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Single-precision general matrix multiply, BLAS convention on row-major storage:
/// <c>C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C</c>, with <c>op(X) = X</c> or <c>Xᵀ</c>.
/// <c>lda/ldb/ldc</c> are row strides (elements between consecutive rows as stored).
/// When <c>beta == 0</c>, C is overwritten (NaN/garbage in C is not propagated), as in BLAS.
/// </summary>
public static class Gemm
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

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
}
