using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HarmoniousFeedback.Nn.Kernels;

public static unsafe partial class Gemm
{
    // AVX2 packing of op(A) into the 6-row panels of the 6×16 microkernel. Pure data movement: the panels hold the same
    // values as the scalar packing (rows of a tile beyond its height are 0 here, never read by the kernel), so results
    // are unchanged bit for bit. Both fill the panel of tile t at dst + t·MR·kc, element (r, p) at p·MR + r.

    /// <summary>
    /// op(A) = Aᵀ (A stored [k × m]): one pass over the K rows, each row's mc contiguous values scattered to the tiles
    /// (the tile-by-tile order read kc rows lda apart per tile, and with lda a multiple of 512 floats those rows
    /// fall into a few L1 sets and were fetched again for every tile).
    /// </summary>
    private static void PackATransAvx2(ref GemmArgs g, float* dst, int ic, int mc, int tiles, int pc, int kc)
    {
        const int MR = 6;
        int baseRows = mc / tiles, extra = mc % tiles;
        var idx = Vector256<int>.Indices;
        var maskBase = Vector256.LessThan(idx, Vector256.Create(baseRows)).AsSingle();
        var maskExtra = Vector256.LessThan(idx, Vector256.Create(baseRows + 1)).AsSingle();
        var maskTile = Vector256.LessThan(idx, Vector256.Create(MR)).AsSingle();
        long panel = (long)MR * kc;
        for (int p = 0; p < kc; p++)
        {
            float* s = g.A + (long)(pc + p) * g.Lda + ic;
            float* d = dst + (long)p * MR;
            bool last = p == kc - 1;
            int r0 = 0;
            for (int t = 0; t < tiles; t++, d += panel)
            {
                bool big = t < extra;
                var v = Avx.MaskLoad(s + r0, big ? maskExtra : maskBase);
                // Lanes 6 and 7 spill into row p + 1 of the same panel, which the next p overwrites; the last row of a
                // panel would spill into the next panel's first row (already written), so it is stored masked.
                if (!last) Avx.Store(d, v);
                else Avx.MaskStore(d, maskTile, v);
                r0 += big ? baseRows + 1 : baseRows;
            }
        }
    }

    /// <summary>
    /// op(A) = A (A stored [m × k]): 8 columns of up to 6 rows at a time, transposed in registers (8×8 with two zero
    /// rows) and written as 8 consecutive 6-float groups.
    /// </summary>
    private static void PackANoTransAvx2(ref GemmArgs g, float* dst, int ic, int mc, int tiles, int pc, int kc)
    {
        const int MR = 6;
        int baseRows = mc / tiles, extra = mc % tiles;
        for (int t = 0; t < tiles; t++)
        {
            int rows = baseRows + (t < extra ? 1 : 0);
            int r0 = ic + t * baseRows + Math.Min(t, extra);
            float* d = dst + (long)t * MR * kc;
            float* s = g.A + (long)r0 * g.Lda + pc;
            nint lda = g.Lda;
            int p = 0;
            // Every store writes 8 floats: lanes 6 and 7 (zero rows) spill into the next column's group, written
            // next, or past the panel's end into the next tile's panel (written after this one) or the buffer's slack.
            for (; p + 8 <= kc; p += 8)
            {
                var z = Vector256<float>.Zero;
                var a0 = Vector256.Load(s + p);
                var a1 = rows > 1 ? Vector256.Load(s + lda + p) : z;
                var a2 = rows > 2 ? Vector256.Load(s + 2 * lda + p) : z;
                var a3 = rows > 3 ? Vector256.Load(s + 3 * lda + p) : z;
                var a4 = rows > 4 ? Vector256.Load(s + 4 * lda + p) : z;
                var a5 = rows > 5 ? Vector256.Load(s + 5 * lda + p) : z;
                Transpose8x6(a0, a1, a2, a3, a4, a5, d + (long)p * MR);
            }
            for (; p < kc; p++)
            {
                float* dd = d + (long)p * MR;
                for (int r = 0; r < rows; r++) dd[r] = s[r * lda + p];
            }
        }
    }

    /// <summary>Writes column j (j = 0 … 7) of the 6 rows a0 … a5 (rows 6, 7 taken as 0) as 8 floats at d + 6·j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x6(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, float* d)
    {
        var z = Vector256<float>.Zero;
        // Interleave row pairs per 128-bit lane.
        var t0 = Avx.UnpackLow(a0, a1); var t1 = Avx.UnpackHigh(a0, a1);
        var t2 = Avx.UnpackLow(a2, a3); var t3 = Avx.UnpackHigh(a2, a3);
        var t4 = Avx.UnpackLow(a4, a5); var t5 = Avx.UnpackHigh(a4, a5);
        // Gather 4 rows per column per 128-bit lane (rows 6, 7 are zero).
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, z, 0x44); var u5 = Avx.Shuffle(t4, z, 0xEE);
        var u6 = Avx.Shuffle(t5, z, 0x44); var u7 = Avx.Shuffle(t5, z, 0xEE);
        // Low lanes hold columns 0–3, high lanes columns 4–7.
        Avx.Store(d + 0 * 6, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + 1 * 6, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * 6, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * 6, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * 6, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * 6, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * 6, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * 6, Avx.Permute2x128(u3, u7, 0x31));
    }
}
