using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Inference kernel of a Conv2d 3 × 3 (stride 1, padding 1) → ReLU → MaxPool2d(2) block with one input channel and the batch
/// norm folded into the weights and bias (<see cref="FoldedConvBlock"/>; the HFN encoder's first block on the 1 × 128 × T
/// log-mel), for one image on the calling thread:
/// <code>
///   z[o, r, q] = b'[o] + Σ_(i,j ∈ 0..2) W'[o, i, j] · x̃[r + i, q + j]          x̃ = x zero-padded by 1 on every side
///   y[o, py, px] = max(0, max_(a,b ∈ {0,1}) z[o, 2py + a, 2px + b])           y [O, ⌊H/2⌋, ⌊W/2⌋]
/// </code>
/// With one input channel each output costs 9 multiply–adds, too few to amortise the implicit GEMM's packing and its band
/// buffer (≈ 27 GFLOP per CPU-second on this layer); here the work stays in registers: one output channel at a time keeps its
/// 9 taps and bias in registers and sweeps the zero-padded plane (from cache), computing 16 neighbouring output columns of two
/// output rows (the pooling windows of 8 pooled outputs) by 36 fused multiply–adds with their loads as operands, and the 2 × 2
/// windows are pooled in registers (row max, then the even/odd column pairs by one shuffle and one 64-bit
/// permute) before a single 8-float store; a last block of fewer than 8 pooled columns reads the zero slack of the padded rows and
/// stores only its columns. Maxima propagate NaN (vmaxps with the unordered-compare mask OR-ed in), as the
/// direct path's pooling does. Each sum is three chains of fused multiply–adds, one per kernel row, added as
/// ((b + row 0) + row 1) + row 2 so that their latencies overlap: outputs differ from the direct path
/// (<c>ConvReluPoolInference</c>) by float rounding only (tested against it and against a double-precision convolution).
/// Scratch: the padded plane, per thread, reused (no allocation after a thread's first call at the largest shape).
/// Needs AVX2 and FMA (<see cref="IsSupported"/>).
/// </summary>
internal static unsafe class SingleChannelConvReluPool
{
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    [ThreadStatic] private static float[]? t_pad;

    /// <summary>x [H, W] → y [O, ⌊H/2⌋, ⌊W/2⌋] with folded weights w [O, 3, 3] and bias b [O]; H, W ≥ 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // fully optimised from the first call (no tier-0 / OSR copy of the loop)
    public static void Forward(int outChannels, int height, int width, float* w, float* bias, float* x, float* y)
    {
        int ph = height / 2, pw = width / 2;
        int stride = width + 2 + 16;                                  // padded row: 1 zero left, ≥ 1 right, slack for a last partial block
        float* pad = ImplicitGemmConv.Buffer(ref t_pad, (long)(height + 2) * stride);
        new Span<float>(pad, stride).Clear();
        for (int r = 0; r < height; r++)
        {
            float* row = pad + (long)(r + 1) * stride;
            row[0] = 0;
            new ReadOnlySpan<float>(x + (long)r * width, width).CopyTo(new Span<float>(row + 1, width));
            new Span<float>(row + 1 + width, stride - 1 - width).Clear();
        }
        new Span<float>(pad + (long)(height + 1) * stride, stride).Clear();

        float* tmp = stackalloc float[8];
        var zero = Vector256<float>.Zero;
        for (int o = 0; o < outChannels; o++)
        {
            // the channel's 9 taps and bias stay in registers while it sweeps the plane (the plane is read from cache once per channel)
            float* k = w + o * 9;
            var b = Vector256.Create(bias[o]);
            var k0 = Vector256.Create(k[0]); var k1 = Vector256.Create(k[1]); var k2 = Vector256.Create(k[2]);
            var k3 = Vector256.Create(k[3]); var k4 = Vector256.Create(k[4]); var k5 = Vector256.Create(k[5]);
            var k6 = Vector256.Create(k[6]); var k7 = Vector256.Create(k[7]); var k8 = Vector256.Create(k[8]);
            float* yo = y + (long)o * ph * pw;
            for (int py = 0; py < ph; py++)
            {
                float* r0 = pad + (long)(2 * py) * stride;            // padded rows 2py … 2py + 3 feed conv rows 2py, 2py + 1
                float* r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
                for (int px = 0; px < pw; px += 8)
                {
                    int q = 2 * px;                                   // conv columns q … q + 15 read padded columns q … q + 17
                    var lo = MaxNan(Row(r0 + q, r1 + q, r2 + q, k0, k1, k2, k3, k4, k5, k6, k7, k8, b),
                                    Row(r1 + q, r2 + q, r3 + q, k0, k1, k2, k3, k4, k5, k6, k7, k8, b));
                    var hi = MaxNan(Row(r0 + q + 8, r1 + q + 8, r2 + q + 8, k0, k1, k2, k3, k4, k5, k6, k7, k8, b),
                                    Row(r1 + q + 8, r2 + q + 8, r3 + q + 8, k0, k1, k2, k3, k4, k5, k6, k7, k8, b));
                    // column pairs: per 128-bit half, evens [l0 l2 h0 h2] and odds [l1 l3 h1 h3]; their max holds pooled
                    // columns (0 1 4 5 | 2 3 6 7) of the 8, put in order by the 64-bit permute (0 2 1 3)
                    var even = Avx.Shuffle(lo, hi, 0b10_00_10_00);
                    var odd = Avx.Shuffle(lo, hi, 0b11_01_11_01);
                    var m = Avx2.Permute4x64(MaxNan(MaxNan(even, odd), zero).AsDouble(), 0b11_01_10_00).AsSingle();
                    float* dst = yo + (long)py * pw + px;
                    if (px + 8 <= pw) m.Store(dst);
                    else
                    {
                        // the last, partial block (its extra lanes read the zero slack of the padded rows): store only its columns
                        m.Store(tmp);
                        new ReadOnlySpan<float>(tmp, pw - px).CopyTo(new Span<float>(dst, pw - px));
                    }
                }
            }
        }
    }

    /// <summary>max(a, b) per lane, NaN when either is NaN (vmaxps returns its second operand for a NaN; the unordered compare's
    /// all-ones mask OR-ed in is a NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MaxNan(Vector256<float> a, Vector256<float> b) => Avx.Or(Avx.Max(a, b), Avx.CompareUnordered(a, b));

    /// <summary>
    /// 8 neighbouring conv outputs of one row: (b + Σ_j k_j·a[j …]) + (Σ_j k_(3+j)·c[j …]) + (Σ_j k_(6+j)·d[j …]), three
    /// independent chains of fused multiply–adds (one per input row) so their latencies overlap, then two additions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(float* a, float* c, float* d, Vector256<float> k0, Vector256<float> k1, Vector256<float> k2,
        Vector256<float> k3, Vector256<float> k4, Vector256<float> k5, Vector256<float> k6, Vector256<float> k7, Vector256<float> k8, Vector256<float> b)
    {
        var z0 = Fma.MultiplyAdd(k2, Avx.LoadVector256(a + 2), Fma.MultiplyAdd(k1, Avx.LoadVector256(a + 1), Fma.MultiplyAdd(k0, Avx.LoadVector256(a), b)));
        var z1 = Fma.MultiplyAdd(k5, Avx.LoadVector256(c + 2), Fma.MultiplyAdd(k4, Avx.LoadVector256(c + 1), Avx.Multiply(k3, Avx.LoadVector256(c))));
        var z2 = Fma.MultiplyAdd(k8, Avx.LoadVector256(d + 2), Fma.MultiplyAdd(k7, Avx.LoadVector256(d + 1), Avx.Multiply(k6, Avx.LoadVector256(d))));
        return Avx.Add(Avx.Add(z0, z1), z2);
    }
}
