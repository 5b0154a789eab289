using System.Numerics.Tensors;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Nn;

public sealed partial class Tensor
{
    /// <summary>Same storage under a new shape (one entry may be −1 = inferred). Like <c>torch.reshape</c> on a contiguous tensor.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1; long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1) { if (infer >= 0) throw new ShapeMismatchException($"only one -1 allowed in reshape {ShapeString(shape)}"); infer = i; }
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || _data.Length % known != 0) throw new ShapeMismatchException($"cannot reshape {ShapeString(_shape)} to {ShapeString(shape)}");
            s[infer] = (int)(_data.Length / known);
        }
        if (Numel(s) != _data.Length) throw new ShapeMismatchException($"cannot reshape {ShapeString(_shape)} ({_data.Length} elements) to {ShapeString(shape)}");
        var self = this;
        var t = Result(_data, s, "Reshape", [this], g => self.AccumulateGradOwned(g));
        return t;
    }

    /// <summary>Alias of <see cref="Reshape"/> (storage is always contiguous).</summary>
    public Tensor View(params int[] shape) => Reshape(shape);

    /// <summary>Flattens dims <paramref name="startDim"/>..end into one.</summary>
    public Tensor Flatten(int startDim = 0)
    {
        startDim = _shape.Length == 0 ? 0 : NormDim(startDim);
        var s = _shape.Take(startDim).Append(-1).ToArray();
        return Reshape(s);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(int dim)
    {
        if (dim < 0) dim += _shape.Length + 1;
        var s = _shape.ToList(); s.Insert(dim, 1);
        return Reshape(s.ToArray());
    }

    /// <summary>Removes dimension <paramref name="dim"/> which must have size 1.</summary>
    public Tensor Squeeze(int dim)
    {
        dim = NormDim(dim);
        if (_shape[dim] != 1) throw new ShapeMismatchException($"Squeeze({dim}) on shape {ShapeString(_shape)}: size is {_shape[dim]}, not 1");
        return Reshape(_shape.Where((_, i) => i != dim).ToArray());
    }

    /// <summary>Reorders dimensions: result dim i is input dim <paramref name="perm"/>[i] (copies).</summary>
    public Tensor Permute(params int[] perm)
    {
        int r = _shape.Length;
        if (perm.Length != r || perm.Select(NormDim).Distinct().Count() != r) throw new ShapeMismatchException($"permutation ({string.Join(",", perm)}) invalid for shape {ShapeString(_shape)}");
        perm = perm.Select(NormDim).ToArray();
        var outShape = perm.Select(p => _shape[p]).ToArray();
        var inStr = Strides;
        var srcStr = perm.Select(p => inStr[p]).ToArray();
        var res = PermuteCopy(_data, outShape, srcStr);
        var inv = new int[r];
        for (int i = 0; i < r; i++) inv[perm[i]] = i;
        var self = this;
        return Result(res, outShape, "Permute", [this], g =>
        {
            var gs = new Tensor(g, outShape);
            var back = PermuteCopy(g, self._shape, inv.Select(p => gs.Strides[p]).ToArray());
            self.AccumulateGradOwned(back);
        });
    }

    private static float[] PermuteCopy(float[] src, int[] outShape, int[] srcStrides)
    {
        var res = Uninit(src.Length);
        var zero = new int[outShape.Length];
        ForEachRow(outShape, srcStrides, zero, (o, a, sa, _, _, len) =>
        {
            if (sa == 1) src.AsSpan(a, len).CopyTo(res.AsSpan(o, len));
            else for (int i = 0; i < len; i++) res[o + i] = src[a + i * sa];
        });
        return res;
    }

    /// <summary>Swaps two dimensions (copies).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var p = Enumerable.Range(0, _shape.Length).ToArray();
        dim0 = NormDim(dim0); dim1 = NormDim(dim1);
        (p[dim0], p[dim1]) = (p[dim1], p[dim0]);
        return Permute(p);
    }

    /// <summary>Elements <paramref name="start"/> … start+length−1 along <paramref name="dim"/> (copies), as <c>torch.narrow</c>.</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        dim = NormDim(dim);
        if (start < 0 || length < 0 || start + length > _shape[dim]) throw new ShapeMismatchException($"Narrow(dim {dim}, start {start}, length {length}) out of range for shape {ShapeString(_shape)}");
        Split(dim, out int outer, out int n, out int inner);
        var s = (int[])_shape.Clone(); s[dim] = length;
        var r = Uninit(outer * length * inner);
        for (int o = 0; o < outer; o++) _data.AsSpan((o * n + start) * inner, length * inner).CopyTo(r.AsSpan(o * length * inner));
        var self = this;
        return Result(r, s, "Narrow", [this], g =>
        {
            if (outer == 1) { self.AccumulateGradSlice(g, start * inner); return; }
            var d = new float[self._data.Length];
            for (int o = 0; o < outer; o++) g.AsSpan(o * length * inner, length * inner).CopyTo(d.AsSpan((o * n + start) * inner));
            self.AccumulateGradOwned(d);
        });
    }

    /// <summary>Python-style slice <c>x[..., start:end, ...]</c> along <paramref name="dim"/>.</summary>
    public Tensor Slice(int dim, int start, int end) => Narrow(dim, start, end - start);

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="dim"/>, with that dim removed (<c>x.select(dim, i)</c>).</summary>
    public Tensor Select(int dim, int index) => Narrow(dim, index, 1).Squeeze(dim);

    /// <summary>Concatenates along <paramref name="dim"/> (<c>torch.cat</c>); all other sizes must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim)
    {
        if (tensors.Count == 0) throw new ShapeMismatchException("Concat of zero tensors");
        var first = tensors[0];
        dim = first.NormDim(dim);
        int total = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank || Enumerable.Range(0, first.Rank).Any(i => i != dim && t._shape[i] != first._shape[i]))
                throw new ShapeMismatchException($"Concat along dim {dim}: shape {ShapeString(t._shape)} does not match {ShapeString(first._shape)}");
            total += t._shape[dim];
        }
        first.Split(dim, out int outer, out _, out int inner);
        var s = (int[])first._shape.Clone(); s[dim] = total;
        var r = Uninit(outer * total * inner);
        int off = 0;
        var offs = new int[tensors.Count];
        for (int k = 0; k < tensors.Count; k++)
        {
            var t = tensors[k]; int n = t._shape[dim];
            offs[k] = off;
            for (int o = 0; o < outer; o++) t._data.AsSpan(o * n * inner, n * inner).CopyTo(r.AsSpan((o * total + off) * inner));
            off += n;
        }
        var arr = tensors.ToArray();
        return Result(r, s, "Concat", arr, g =>
        {
            for (int k = 0; k < arr.Length; k++)
            {
                var t = arr[k]; if (!t._requiresGrad) continue;
                int n = t._shape[dim];
                var d = Uninit(t._data.Length);
                for (int o = 0; o < outer; o++) g.AsSpan((o * total + offs[k]) * inner, n * inner).CopyTo(d.AsSpan(o * n * inner));
                t.AccumulateGradOwned(d);
            }
        });
    }

    /// <summary>Stacks equal-shaped tensors along a new dimension <paramref name="dim"/> (<c>torch.stack</c>).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim) => Concat(tensors.Select(t => t.Unsqueeze(dim)).ToList(), dim);

    /// <summary>Rows of a 2-D table: result[..., :] = this[indices[...], :] with shape indicesShape + [D]; gradient scatters (adds) back.</summary>
    public Tensor IndexSelectRows(ReadOnlySpan<long> indices, int[] indicesShape, int zeroGradRow = -1)
    {
        if (Rank != 2) throw new ShapeMismatchException($"IndexSelectRows needs a 2-D table, got {ShapeString(_shape)}");
        int rows = _shape[0], dDim = _shape[1];
        var idx = indices.ToArray();
        var r = new float[idx.Length * dDim];
        for (int i = 0; i < idx.Length; i++)
        {
            if (idx[i] < 0 || idx[i] >= rows) throw new InvalidIndexException($"row index [{i}]", idx[i], $"[0, {rows}) (the tensor has {rows} rows)");
            _data.AsSpan((int)idx[i] * dDim, dDim).CopyTo(r.AsSpan(i * dDim));
        }
        var self = this;
        return Result(r, [.. indicesShape, dDim], "IndexSelect", [this], g =>
        {
            var d = new float[self._data.Length];
            for (int i = 0; i < idx.Length; i++)
            {
                if (idx[i] == zeroGradRow) continue;
                var dst = d.AsSpan((int)idx[i] * dDim, dDim);
                TensorPrimitives.Add(dst, g.AsSpan(i * dDim, dDim), dst);
            }
            self.AccumulateGrad(d);
        });
    }

    // ---------------------------------------------------------------- matmul

    /// <summary>
    /// Matrix product with PyTorch's <c>torch.matmul</c> rules for the common cases: [M,K]@[K,N]; [...,M,K]@[K,N]
    /// (the leading dims are batched through one GEMM); [B,M,K]@[B,K,N] (batched). All products go through
    /// <see cref="Gemm.Sgemm"/>.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b) => BatchMatMul(a, b, false, false);

    /// <summary>
    /// op(a)·op(b) where op transposes the last two dims when asked: a [...,M,K] (or [...,K,M]), b [K,N] / [...,K,N]
    /// (or transposed). b may be 2-D (shared by every batch item) or have the same leading dims as a.
    /// </summary>
    public static Tensor BatchMatMul(Tensor a, Tensor b, bool transA, bool transB)
    {
        if (a.Rank < 2 || b.Rank < 2) throw new ShapeMismatchException($"matmul needs rank ≥ 2, got {ShapeString(a._shape)} and {ShapeString(b._shape)}");
        int ar = a.Rank, br = b.Rank;
        int m = transA ? a._shape[ar - 1] : a._shape[ar - 2];
        int k = transA ? a._shape[ar - 2] : a._shape[ar - 1];
        int kb = transB ? b._shape[br - 1] : b._shape[br - 2];
        int n = transB ? b._shape[br - 2] : b._shape[br - 1];
        if (k != kb) throw new ShapeMismatchException($"matmul inner dimensions differ: {ShapeString(a._shape)}{(transA ? "ᵀ" : "")} @ {ShapeString(b._shape)}{(transB ? "ᵀ" : "")} ({k} vs {kb})");
        int batch = Numel(a._shape.AsSpan(0, ar - 2));
        bool shared = br == 2;
        if (!shared && (br != ar || !a._shape.AsSpan(0, ar - 2).SequenceEqual(b._shape.AsSpan(0, br - 2))))
            throw new ShapeMismatchException($"batched matmul needs equal batch dims: {ShapeString(a._shape)} vs {ShapeString(b._shape)}");
        var outShape = a._shape.Take(ar - 2).Concat([m, n]).ToArray();
        var c = Uninit(batch * m * n);
        float[] ad = a._data, bd = b._data;
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (shared && !transA)
            Gemm.Sgemm(false, transB, batch * m, n, k, 1f, ad, k, bd, ldb, 0f, c, n);
        else
            for (int i = 0; i < batch; i++)
                Gemm.Sgemm(transA, transB, m, n, k, 1f, ad.AsSpan(i * m * k), lda, bd.AsSpan(shared ? 0 : i * k * n), ldb, 0f, c.AsSpan(i * m * n), n);
        return Result(c, outShape, "MatMul", [a, b], g =>
        {
            if (a._requiresGrad)
            {
                // dA = g·op(B)ᵀ (or its transpose when transA)
                var da = Uninit(ad.Length);
                if (shared && !transA)
                    Gemm.Sgemm(false, !transB, batch * m, k, n, 1f, g, n, bd, ldb, 0f, da, k);
                else
                    for (int i = 0; i < batch; i++)
                    {
                        var bi = bd.AsSpan(shared ? 0 : i * k * n);
                        if (!transA) Gemm.Sgemm(false, !transB, m, k, n, 1f, g.AsSpan(i * m * n), n, bi, ldb, 0f, da.AsSpan(i * m * k), k);
                        else Gemm.Sgemm(transB, true, k, m, n, 1f, bi, ldb, g.AsSpan(i * m * n), n, 0f, da.AsSpan(i * m * k), m);
                    }
                a.AccumulateGradOwned(da);
            }
            if (b._requiresGrad)
            {
                var db = Uninit(bd.Length);
                if (shared && !transA)
                {
                    if (!transB) Gemm.Sgemm(true, false, k, n, batch * m, 1f, ad, k, g, n, 0f, db, n);
                    else Gemm.Sgemm(true, false, n, k, batch * m, 1f, g, n, ad, k, 0f, db, k);
                }
                else
                    for (int i = 0; i < batch; i++)
                    {
                        var ai = ad.AsSpan(i * m * k);
                        var dbi = db.AsSpan(shared ? 0 : i * k * n);
                        float beta = shared && i > 0 ? 1f : 0f;
                        if (!transB) Gemm.Sgemm(!transA, false, k, n, m, 1f, ai, lda, g.AsSpan(i * m * n), n, beta, dbi, n);
                        else Gemm.Sgemm(true, transA, n, k, m, 1f, g.AsSpan(i * m * n), n, ai, lda, beta, dbi, k);
                    }
                b.AccumulateGradOwned(db);
            }
        });
    }
}
