using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Element-wise logistic sigmoid and hyperbolic tangent for float32 spans (LSTM/GRU gates), vectorised with AVX-512 or
/// AVX2+FMA and a scalar fallback.
/// </summary>
/// <remarks>
/// <para><b>Formulas.</b> <c>σ(x) = 1 / (1 + e^(−x))</c> (<c>torch.sigmoid</c>);
/// <c>tanh(x) = x + x³·P(x²)</c> for <c>|x| &lt; 0.625</c> (Cephes <c>tanhf</c> minimax polynomial), else
/// <c>sign(x)·(1 − 2 / (e^(2|x|) + 1))</c> (<c>torch.tanh</c>). <c>e^x</c> uses Cody–Waite range reduction
/// <c>x = n·ln2 + r</c> and the Cephes <c>expf</c> degree-6 polynomial on |r| ≤ ln2/2, with the input clamped to
/// [−87.3, 88.3].</para>
/// <para><b>Accuracy</b> (tested against double precision): relative error ≤ 1e-6 (measured ≈ 2e-7) for
/// |x| ≤ 87, including tiny |x| where tanh(x) ≈ x. Beyond that σ underflows to at most 5e-39 absolute.
/// <c>System.Numerics.Tensors.TensorPrimitives.Tanh</c> loses relative accuracy near 0 (≈ 5 % at x = 1e-6 in the
/// package version used here) and was not faster in our measurement; these kernels replace it for gates.
/// NaN in gives NaN out.</para>
/// <para>Every element is computed by the same vector code path whatever its position (the tail is padded
/// through a small buffer), so the result for <c>x[i]</c> depends only on <c>x[i]</c> and the instruction set.
/// Input and output may be the same span; other overlaps are not allowed.</para>
/// </remarks>
public static unsafe class Activations
{
    /// <summary><c>y[i] = 1 / (1 + e^(−x[i]))</c>.</summary>
    /// <exception cref="ShapeMismatchException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Apply(x, y, Op.Sigmoid);

    /// <summary><c>x[i] ← σ(x[i])</c>.</summary>
    public static void SigmoidInPlace(Span<float> x) => Apply(x, x, Op.Sigmoid);

    /// <summary><c>y[i] = tanh(x[i])</c>.</summary>
    /// <exception cref="ShapeMismatchException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Apply(x, y, Op.Tanh);

    /// <summary><c>x[i] ← tanh(x[i])</c>.</summary>
    public static void TanhInPlace(Span<float> x) => Apply(x, x, Op.Tanh);

    internal enum Op { Sigmoid, Tanh }

    private static void Apply(ReadOnlySpan<float> x, Span<float> y, Op op) => Apply(x, y, op, Gemm.DefaultIsa);

    /// <summary>The kernels with an explicit instruction set (tests compare all that the machine supports).</summary>
    internal static void Apply(ReadOnlySpan<float> x, Span<float> y, Op op, GemmIsa isa)
    {
        if (y.Length < x.Length) throw new ShapeMismatchException($"Activations.{op}: output has {y.Length} elements but the input has {x.Length}");
        fixed (float* px = x, py = y)
        {
            if (isa == GemmIsa.Avx512) Run512(px, py, x.Length, op);
            else if (isa == GemmIsa.Avx2) Run256(px, py, x.Length, op);
            else
                for (int i = 0; i < x.Length; i++)
                    py[i] = op == Op.Sigmoid ? 1f / (1f + MathF.Exp(-px[i])) : MathF.Tanh(px[i]);
        }
    }

    // ---------------------------------------------------------------- AVX-512

    private static void Run512(float* x, float* y, int n, Op op)
    {
        int i = 0;
        if (op == Op.Sigmoid)
            for (; i + 16 <= n; i += 16) Vector512.Store(Sigmoid512(Vector512.Load(x + i)), y + i);
        else
            for (; i + 16 <= n; i += 16) Vector512.Store(Tanh512(Vector512.Load(x + i)), y + i);
        if (i == n) return;
        int rest = n - i;
        var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rest)).AsSingle();
        var v = Avx512F.MaskLoad(x + i, mask, Vector512<float>.Zero);
        Avx512F.MaskStore(y + i, mask, op == Op.Sigmoid ? Sigmoid512(v) : Tanh512(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp512(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpMin)), Vector512.Create(ExpMax));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.Create(E6);
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E5));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E4));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E3));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E2));
        p = Avx512F.FusedMultiplyAdd(p, r, Vector512.Create(E1));
        p = Avx512F.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        return Avx512F.Scale(p, n);
    }

    /// <summary>1/d by a 14-bit estimate and one Newton step (≈ 0.5 ulp): cheaper than a 512-bit division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Recip512(Vector512<float> d)
    {
        var y = Avx512F.Reciprocal14(d);
        return y * Avx512F.FusedMultiplyAddNegated(d, y, Vector512.Create(2f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid512(Vector512<float> x) => Recip512(Vector512<float>.One + Exp512(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh512(Vector512<float> x)
    {
        var a = Vector512.Abs(x);
        var s = x * x;
        var p = Vector512.Create(T4);
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(T3));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(T2));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(T1));
        p = Avx512F.FusedMultiplyAdd(p, s, Vector512.Create(T0));
        var small = Avx512F.FusedMultiplyAdd(p * s, x, x);
        var inv = Recip512(Exp512(a + a) + Vector512<float>.One);
        var big = Vector512.CopySign(Avx512F.FusedMultiplyAddNegated(Vector512.Create(2f), inv, Vector512<float>.One), x);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(TanhSmall)), small, big);
    }

    // ---------------------------------------------------------------- AVX2 + FMA

    private static void Run256(float* x, float* y, int n, Op op)
    {
        int i = 0;
        if (op == Op.Sigmoid)
            for (; i + 8 <= n; i += 8) Vector256.Store(Sigmoid256(Vector256.Load(x + i)), y + i);
        else
            for (; i + 8 <= n; i += 8) Vector256.Store(Tanh256(Vector256.Load(x + i)), y + i);
        if (i == n) return;
        float* tmp = stackalloc float[8];
        int rest = n - i;
        for (int j = 0; j < 8; j++) tmp[j] = j < rest ? x[i + j] : 0f;
        var v = Vector256.Load(tmp);
        Vector256.Store(op == Op.Sigmoid ? Sigmoid256(v) : Tanh256(v), tmp);
        for (int j = 0; j < rest; j++) y[i + j] = tmp[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp256(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpMin)), Vector256.Create(ExpMax));
        var n = Vector256.Round(x * Vector256.Create(Log2E));
        var r = Fma.MultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Fma.MultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.Create(E6);
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E5));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E4));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E3));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E2));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(E1));
        p = Fma.MultiplyAdd(p, r * r, r + Vector256<float>.One);
        // 2^n by building the exponent field; n ∈ [−126, 127] after the clamp, so it is a normal float.
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return p * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sigmoid256(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp256(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh256(Vector256<float> x)
    {
        var a = Vector256.Abs(x);
        var s = x * x;
        var p = Vector256.Create(T4);
        p = Fma.MultiplyAdd(p, s, Vector256.Create(T3));
        p = Fma.MultiplyAdd(p, s, Vector256.Create(T2));
        p = Fma.MultiplyAdd(p, s, Vector256.Create(T1));
        p = Fma.MultiplyAdd(p, s, Vector256.Create(T0));
        var small = Fma.MultiplyAdd(p * s, x, x);
        var big = Vector256.CopySign(Vector256<float>.One - Vector256.Create(2f) / (Exp256(a + a) + Vector256<float>.One), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(TanhSmall)), small, big);
    }

    // ---------------------------------------------------------------- constants (Cephes expf / tanhf)

    private const float ExpMin = -87.3f, ExpMax = 88.3f;
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float E1 = 5.0000001201E-1f, E2 = 1.6666665459E-1f, E3 = 4.1665795894E-2f,
        E4 = 8.3334519073E-3f, E5 = 1.3981999507E-3f, E6 = 1.9875691500E-4f;
    private const float TanhSmall = 0.625f;
    private const float T0 = -3.33332819422E-1f, T1 = 1.33314422036E-1f, T2 = -5.37397155531E-2f,
        T3 = 2.06390887954E-2f, T4 = -5.70498872745E-3f;
}
