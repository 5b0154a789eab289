using System.Buffers;
using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Nn;

public static partial class F
{
    /// <summary>
    /// One LSTM layer in one direction over time-major x [T, B, I] as a single autograd node (fused forward and
    /// BPTT, see <see cref="RecurrentKernels"/>). Returns packed [T+2, B, H]: y rows, then h_n, then c_n.
    /// h0/c0 are [B, H] or null (zeros). With <paramref name="lengths"/>, sequence b runs only t &lt; lengths[b]
    /// (reverse: t = lengths[b]−1 … 0); y is 0 beyond its length and h_n/c_n are its last valid state.
    /// </summary>
    public static Tensor LstmLayer(Tensor x, Tensor? h0, Tensor? c0, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, bool reverse = false, int[]? lengths = null)
    {
        int T = x.Shape[0], B = x.Shape[1], I = x.Shape[2], H = whh.Shape[1];
        if (wih.Shape[0] != 4 * H || wih.Shape[1] != I) throw new ShapeMismatchException($"LSTM weight_ih {Tensor.ShapeString(wih.Shape)} does not fit input size {I} and hidden size {H} (expected [{4 * H}, {I}])");
        var output = new float[(T + 2) * B * H];
        var tape = RecurrentKernels.LstmForward(x._data, T, B, I, H, h0 is null ? default : h0._data, c0 is null ? default : c0._data,
            wih._data, whh._data, bih._data, bhh._data, reverse, lengths, output);
        var parents = new List<Tensor> { x, wih, whh, bih, bhh };
        if (h0 is not null) parents.Add(h0);
        if (c0 is not null) parents.Add(c0);
        var result = Tensor.Result(output, [T + 2, B, H], "LstmLayer", parents.ToArray(), g =>
        {
            var dX = x.RequiresGrad ? new float[x.Count] : null;
            // Weight and state gradients are added into the parameters' gradients (or copied once, on the first step),
            // never kept: pooled scratch instead of fresh (large-object-heap) arrays on every backward.
            var pool = ArrayPool<float>.Shared;
            var dh0 = pool.Rent(B * H); var dc0 = pool.Rent(B * H);
            var dWih = pool.Rent(wih.Count); var dWhh = pool.Rent(whh.Count); var db = new float[4 * H];
            RecurrentKernels.LstmBackward(tape, x._data, wih._data, whh._data, g, dX, dh0, dc0, dWih, dWhh, db);
            if (dX is not null) x.AccumulateGradOwned(dX);
            wih.AccumulateGrad(dWih.AsSpan(0, wih.Count)); whh.AccumulateGrad(dWhh.AsSpan(0, whh.Count));
            bih.AccumulateGrad(db); bhh.AccumulateGrad(db);
            h0?.AccumulateGrad(dh0.AsSpan(0, B * H)); c0?.AccumulateGrad(dc0.AsSpan(0, B * H));
            pool.Return(dh0); pool.Return(dc0); pool.Return(dWih); pool.Return(dWhh);
            tape.Release();
        });
        if (!result.RequiresGrad) tape.Release();  // no backward will run (no-grad or nothing trainable)
        return result;
    }

    /// <summary>One GRU layer-direction as a single autograd node. Returns packed [T+1, B, H]: y rows then h_n.</summary>
    public static Tensor GruLayer(Tensor x, Tensor? h0, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, bool reverse = false, int[]? lengths = null)
    {
        int T = x.Shape[0], B = x.Shape[1], I = x.Shape[2], H = whh.Shape[1];
        if (wih.Shape[0] != 3 * H || wih.Shape[1] != I) throw new ShapeMismatchException($"GRU weight_ih {Tensor.ShapeString(wih.Shape)} does not fit input size {I} and hidden size {H} (expected [{3 * H}, {I}])");
        var output = new float[(T + 1) * B * H];
        var tape = RecurrentKernels.GruForward(x._data, T, B, I, H, h0 is null ? default : h0._data, wih._data, whh._data, bih._data, bhh._data, reverse, lengths, output);
        Tensor[] parents = h0 is null ? [x, wih, whh, bih, bhh] : [x, wih, whh, bih, bhh, h0];
        var result = Tensor.Result(output, [T + 1, B, H], "GruLayer", parents, g =>
        {
            var dX = x.RequiresGrad ? new float[x.Count] : null;
            var dh0 = new float[B * H];
            var dWih = new float[wih.Count]; var dWhh = new float[whh.Count]; var dbih = new float[3 * H]; var dbhh = new float[3 * H];
            RecurrentKernels.GruBackward(tape, x._data, wih._data, whh._data, g, dX, dh0, dWih, dWhh, dbih, dbhh);
            if (dX is not null) x.AccumulateGrad(dX);
            wih.AccumulateGrad(dWih); whh.AccumulateGrad(dWhh); bih.AccumulateGrad(dbih); bhh.AccumulateGrad(dbhh);
            h0?.AccumulateGrad(dh0);
            tape.Release();
        });
        if (!result.RequiresGrad) tape.Release();
        return result;
    }
}
