using System.Diagnostics;
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

    /// <summary>
    /// <c>dst[r] = Dot(x, rows[r·n .. (r+1)·n))</c> for the row-major block <paramref name="rows"/> (n = x.Length),
    /// bit-identical to calling <see cref="Dot"/> per row: four rows at a time share the loads of x, each row keeps
    /// <see cref="Dot"/>'s own four accumulators, reduction and scalar tail (the kernel rows of the SMO solver).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotRows(ReadOnlySpan<double> x, ReadOnlySpan<double> rows, Span<double> dst)
    {
        int n = x.Length, count = dst.Length, r = 0;
        if (rows.Length < (long)count * n) throw new UnreachableException($"bug: rows holds {rows.Length} values, fewer than dst.Length × x.Length = {(long)count * n}");
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double rr = ref MemoryMarshal.GetReference(rows);
            for (; r <= count - 4; r += 4)
            {
                ref double p0 = ref Unsafe.Add(ref rr, (nint)r * n);
                ref double p1 = ref Unsafe.Add(ref p0, n);
                ref double p2 = ref Unsafe.Add(ref p1, n);
                ref double p3 = ref Unsafe.Add(ref p2, n);
                Vector256<double> a00 = default, a01 = default, a02 = default, a03 = default;
                Vector256<double> a10 = default, a11 = default, a12 = default, a13 = default;
                Vector256<double> a20 = default, a21 = default, a22 = default, a23 = default;
                Vector256<double> a30 = default, a31 = default, a32 = default, a33 = default;
                int i = 0;
                for (; i <= n - 16; i += 16)
                {
                    var x0 = Vector256.LoadUnsafe(ref xr, (nuint)i);
                    var x1 = Vector256.LoadUnsafe(ref xr, (nuint)i + 4);
                    var x2 = Vector256.LoadUnsafe(ref xr, (nuint)i + 8);
                    var x3 = Vector256.LoadUnsafe(ref xr, (nuint)i + 12);
                    a00 += x0 * Vector256.LoadUnsafe(ref p0, (nuint)i);
                    a01 += x1 * Vector256.LoadUnsafe(ref p0, (nuint)i + 4);
                    a02 += x2 * Vector256.LoadUnsafe(ref p0, (nuint)i + 8);
                    a03 += x3 * Vector256.LoadUnsafe(ref p0, (nuint)i + 12);
                    a10 += x0 * Vector256.LoadUnsafe(ref p1, (nuint)i);
                    a11 += x1 * Vector256.LoadUnsafe(ref p1, (nuint)i + 4);
                    a12 += x2 * Vector256.LoadUnsafe(ref p1, (nuint)i + 8);
                    a13 += x3 * Vector256.LoadUnsafe(ref p1, (nuint)i + 12);
                    a20 += x0 * Vector256.LoadUnsafe(ref p2, (nuint)i);
                    a21 += x1 * Vector256.LoadUnsafe(ref p2, (nuint)i + 4);
                    a22 += x2 * Vector256.LoadUnsafe(ref p2, (nuint)i + 8);
                    a23 += x3 * Vector256.LoadUnsafe(ref p2, (nuint)i + 12);
                    a30 += x0 * Vector256.LoadUnsafe(ref p3, (nuint)i);
                    a31 += x1 * Vector256.LoadUnsafe(ref p3, (nuint)i + 4);
                    a32 += x2 * Vector256.LoadUnsafe(ref p3, (nuint)i + 8);
                    a33 += x3 * Vector256.LoadUnsafe(ref p3, (nuint)i + 12);
                }
                for (; i <= n - 4; i += 4)
                {
                    var xv = Vector256.LoadUnsafe(ref xr, (nuint)i);
                    a00 += xv * Vector256.LoadUnsafe(ref p0, (nuint)i);
                    a10 += xv * Vector256.LoadUnsafe(ref p1, (nuint)i);
                    a20 += xv * Vector256.LoadUnsafe(ref p2, (nuint)i);
                    a30 += xv * Vector256.LoadUnsafe(ref p3, (nuint)i);
                }
                double s0 = Vector256.Sum((a00 + a01) + (a02 + a03));
                double s1 = Vector256.Sum((a10 + a11) + (a12 + a13));
                double s2 = Vector256.Sum((a20 + a21) + (a22 + a23));
                double s3 = Vector256.Sum((a30 + a31) + (a32 + a33));
                for (; i < n; i++)
                {
                    double xi = Unsafe.Add(ref xr, i);
                    s0 += xi * Unsafe.Add(ref p0, i);
                    s1 += xi * Unsafe.Add(ref p1, i);
                    s2 += xi * Unsafe.Add(ref p2, i);
                    s3 += xi * Unsafe.Add(ref p3, i);
                }
                dst[r] = s0;
                dst[r + 1] = s1;
                dst[r + 2] = s2;
                dst[r + 3] = s3;
            }
        }
        for (; r < count; r++) dst[r] = Dot(x, rows.Slice(r * n, n));
    }

    /// <summary>
    /// <c>dst[j] = Σₖ x[k]·xt[k·stride + from + j]</c> summed in index order from 0, i.e. <see cref="Dot"/>'s scalar
    /// loop (which is what <see cref="Dot"/> runs for x.Length &lt; 16), bit for bit, for the column-major copy
    /// <paramref name="xt"/> of a matrix with <paramref name="stride"/> rows: the short dot products of narrow data
    /// computed 16 rows at a time, one SIMD lane per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotColumns(ReadOnlySpan<double> x, ReadOnlySpan<double> xt, int stride, int from, Span<double> dst)
    {
        int n = x.Length, count = dst.Length, j = 0;
        if (from < 0 || from + count > stride || xt.Length < (long)n * stride)
            throw new UnreachableException($"bug: columns [{from}, {from + count}) are outside xt (stride {stride}, {xt.Length} values)");
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double tr = ref Unsafe.Add(ref MemoryMarshal.GetReference(xt), from);
        ref double dr = ref MemoryMarshal.GetReference(dst);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= count - 16; j += 16)
            {
                Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int k = 0; k < n; k++)
                {
                    var xk = Vector256.Create(Unsafe.Add(ref xr, k));
                    ref double c = ref Unsafe.Add(ref tr, (nint)k * stride + j);
                    a0 += xk * Vector256.LoadUnsafe(ref c);
                    a1 += xk * Vector256.LoadUnsafe(ref c, 4);
                    a2 += xk * Vector256.LoadUnsafe(ref c, 8);
                    a3 += xk * Vector256.LoadUnsafe(ref c, 12);
                }
                a0.StoreUnsafe(ref dr, (nuint)j);
                a1.StoreUnsafe(ref dr, (nuint)j + 4);
                a2.StoreUnsafe(ref dr, (nuint)j + 8);
                a3.StoreUnsafe(ref dr, (nuint)j + 12);
            }
            for (; j <= count - 4; j += 4)
            {
                Vector256<double> a0 = default;
                for (int k = 0; k < n; k++)
                    a0 += Vector256.Create(Unsafe.Add(ref xr, k)) * Vector256.LoadUnsafe(ref Unsafe.Add(ref tr, (nint)k * stride + j));
                a0.StoreUnsafe(ref dr, (nuint)j);
            }
        }
        for (; j < count; j++)
        {
            double sum = 0;
            for (int k = 0; k < n; k++) sum += Unsafe.Add(ref xr, k) * Unsafe.Add(ref tr, (nint)k * stride + j);
            Unsafe.Add(ref dr, j) = sum;
        }
    }

    public static double Reference(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
