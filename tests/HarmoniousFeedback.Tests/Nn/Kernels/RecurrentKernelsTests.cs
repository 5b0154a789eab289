using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Nn.Kernels;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn.Kernels;

/// <summary>
/// The fused LSTM layer (gate-major tape, whole-block gate math) against <see cref="ReferenceLstmKernels"/>, the
/// row-by-row kernels it replaced: outputs and every gradient must be equal bit for bit (no tolerance), because
/// every floating-point operation and its order are meant to be unchanged.
/// </summary>
public sealed class RecurrentKernelsTests
{
    private static float[] Uniform(int n, ulong seed, float bound)
    {
        var rng = new NnRng(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        return a;
    }

    private static void AssertBitIdentical(float[] expected, float[] actual, int count, string what)
    {
        for (int i = 0; i < count; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: reference {expected[i]:R}, fast path {actual[i]:R}");
    }

    [Theory]
    [InlineData(12, 32, 50, 128, false, true, false)]   // the EMOPIA units' first layer (variable lengths)
    [InlineData(12, 32, 128, 128, true, true, true)]    // their upper layers' shape, reverse, initial state
    [InlineData(7, 5, 3, 5, false, true, true)]         // H below the vector width: row-by-row fallback
    [InlineData(6, 4, 9, 20, true, true, true)]         // H not a multiple of the vector width
    [InlineData(5, 3, 4, 8, false, false, true)]
    [InlineData(4, 7, 6, 16, true, false, false)]
    [InlineData(3, 13, 30, 300, false, true, false)]    // H above KC = 256: the products run in two K blocks
    [InlineData(5, 6, 1, 12, false, true, true)]        // one input feature: dW_ih is a matrix–vector product
    [InlineData(4, 3, 7, 1, true, true, true)]          // one hidden unit
    public void Lstm_layer_matches_the_row_by_row_reference_bit_for_bit(int T, int B, int I, int H, bool reverse, bool withLengths, bool withState)
    {
        int g4 = 4 * H, bh = B * H;
        var x = Uniform(T * B * I, 1, 1f);
        var wih = Uniform(g4 * I, 2, 1f / MathF.Sqrt(H));
        var whh = Uniform(g4 * H, 3, 1f / MathF.Sqrt(H));
        var bih = Uniform(g4, 4, 0.5f);
        var bhh = Uniform(g4, 5, 0.5f);
        var h0 = withState ? Uniform(bh, 6, 1f) : [];
        var c0 = withState ? Uniform(bh, 7, 2f) : [];
        int[]? lengths = withLengths ? Enumerable.Range(0, B).Select(b => Math.Max(1, T - b % 5)).ToArray() : null;
        var g = Uniform((T + 2) * bh, 8, 1f);

        var outRef = new float[(T + 2) * bh];
        var tapeRef = ReferenceLstmKernels.Forward(x, T, B, I, H, h0, c0, wih, whh, bih, bhh, reverse, lengths, outRef);
        var outNew = new float[(T + 2) * bh];
        var tape = RecurrentKernels.LstmForward(x, T, B, I, H, h0, c0, wih, whh, bih, bhh, reverse, lengths, outNew);
        AssertBitIdentical(outRef, outNew, outRef.Length, "output");

        float[][] Grads() => [new float[T * B * I], new float[bh], new float[bh], new float[g4 * I], new float[g4 * H], new float[g4]];
        var r = Grads();
        ReferenceLstmKernels.Backward(tapeRef, x, wih, whh, g, r[0], r[1], r[2], r[3], r[4], r[5]);
        var n = Grads();
        RecurrentKernels.LstmBackward(tape, x, wih, whh, g, n[0], n[1], n[2], n[3], n[4], n[5]);
        tape.Release();
        string[] names = ["dX", "dh0", "dc0", "dW_ih", "dW_hh", "db"];
        for (int k = 0; k < r.Length; k++) AssertBitIdentical(r[k], n[k], r[k].Length, names[k]);
    }
}
