using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// Dot product of double vectors for the SMO kernel rows and SVM prediction: Vector256 with four independent
/// accumulators, then a scalar tail. Same role as <c>TensorPrimitives.Dot</c>, but compiled fully optimised on first
/// use (AggressiveOptimization): a generic library method starts as unoptimised tier-0 code, which made a one-shot fit
/// (the CLI) spend most of its first second in it. <see cref="Reference"/> is the plain loop the tests compare with.
/// </summary>
internal static class SimdDot
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            var a2 = Vector256<double>.Zero;
            var a3 = Vector256<double>.Zero;
            for (; i <= n - 16; i += 16)
            {
                a0 += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
                a1 += Vector256.LoadUnsafe(ref xr, (nuint)i + 4) * Vector256.LoadUnsafe(ref yr, (nuint)i + 4);
                a2 += Vector256.LoadUnsafe(ref xr, (nuint)i + 8) * Vector256.LoadUnsafe(ref yr, (nuint)i + 8);
                a3 += Vector256.LoadUnsafe(ref xr, (nuint)i + 12) * Vector256.LoadUnsafe(ref yr, (nuint)i + 12);
            }
            for (; i <= n - 4; i += 4)
                a0 += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }

    public static double Reference(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
