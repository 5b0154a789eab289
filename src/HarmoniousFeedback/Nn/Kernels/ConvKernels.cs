using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HarmoniousFeedback.Nn.Kernels;

/// <summary>
/// Shape of a 2-D convolution in PyTorch's conventions (<c>torch.nn.functional.conv2d</c>, groups = 1, dilation = 1):
/// input <c>[N, C, H, W]</c>, weight <c>[O, C, KH, KW]</c>, bias <c>[O]</c>, output <c>[N, O, OutH, OutW]</c>,
/// all NCHW row-major float32, zero padding, <c>OutH = ⌊(H + 2·PadH − KH) / StrideH⌋ + 1</c> (likewise OutW).
/// A 1-D convolution (<c>[N, C, L]</c>, weight <c>[O, C, K]</c>) is the case H = KH = 1, PadH = 0: see <see cref="Conv1d"/>.
/// </summary>
public readonly record struct Conv2dGeometry(
    int Batch, int InChannels, int Height, int Width, int OutChannels,
    int KernelH, int KernelW, int PadH = 0, int PadW = 0, int StrideH = 1, int StrideW = 1)
{
    /// <summary>Output height <c>⌊(H + 2·PadH − KH) / StrideH⌋ + 1</c>.</summary>
    public int OutH => (Height + 2 * PadH - KernelH) / StrideH + 1;
    /// <summary>Output width <c>⌊(W + 2·PadW − KW) / StrideW⌋ + 1</c>.</summary>
    public int OutW => (Width + 2 * PadW - KernelW) / StrideW + 1;
    /// <summary>Rows of the im2col matrix and columns of the flattened weight: <c>C·KH·KW</c>.</summary>
    public int PatchSize => InChannels * KernelH * KernelW;
    public int InputSize => Batch * InChannels * Height * Width;
    public int WeightSize => OutChannels * PatchSize;
    public int OutputSize => Batch * OutChannels * OutH * OutW;

    /// <summary>A 1-D convolution (<c>torch.nn.functional.conv1d</c>) on <c>[N, C, L]</c> with weight <c>[O, C, K]</c> as a 2-D geometry with H = 1.</summary>
    public static Conv2dGeometry Conv1d(int batch, int inChannels, int length, int outChannels, int kernel, int pad = 0, int stride = 1)
        => new(batch, inChannels, 1, length, outChannels, 1, kernel, 0, pad, 1, stride);

    /// <summary>Throws <see cref="ShapeMismatchException"/> listing every invalid field with its value.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        void Pos(string name, int v) { if (v < 1) problems.Add($"{name} = {v} must be >= 1"); }
        Pos(nameof(Batch), Batch); Pos(nameof(InChannels), InChannels); Pos(nameof(Height), Height); Pos(nameof(Width), Width);
        Pos(nameof(OutChannels), OutChannels); Pos(nameof(KernelH), KernelH); Pos(nameof(KernelW), KernelW);
        Pos(nameof(StrideH), StrideH); Pos(nameof(StrideW), StrideW);
        if (PadH < 0) problems.Add($"PadH = {PadH} must be >= 0");
        if (PadW < 0) problems.Add($"PadW = {PadW} must be >= 0");
        if (problems.Count == 0 && (Height + 2 * PadH < KernelH || Width + 2 * PadW < KernelW))
            problems.Add($"kernel {KernelH}x{KernelW} is larger than the padded input {Height + 2 * PadH}x{Width + 2 * PadW} (H = {Height}, W = {Width}, PadH = {PadH}, PadW = {PadW})");
        if (problems.Count == 0 && (long)PatchSize * OutH * OutW > int.MaxValue)
            problems.Add($"im2col matrix {PatchSize}x{OutH * OutW} exceeds 2^31 elements");
        if (problems.Count > 0) throw new ShapeMismatchException("Invalid convolution geometry: " + string.Join("; ", problems));
    }

    /// <summary>1×1 kernel, stride 1, no padding: the input image already is the im2col matrix.</summary>
    internal bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;
}

/// <summary>How a convolution pass is computed (see <see cref="ConvKernels.Choose"/>).</summary>
public enum ConvAlgorithm
{
    /// <summary>Per image: unfold the input (im2col) and one GEMM; any stride and padding.</summary>
    Im2ColGemm,
    /// <summary>Stride 1: a GEMM microkernel reading the zero-padded input directly (no im2col matrix).</summary>
    ImplicitGemm,
}

/// <summary>One of the three passes of a convolution.</summary>
public enum ConvPass
{
    /// <summary>y = W ⋆ x + b.</summary>
    Forward,
    /// <summary>dX from dY.</summary>
    BackwardInput,
    /// <summary>dW and db from x and dY.</summary>
    BackwardWeight,
}

/// <summary>
/// Convolution kernels on NCHW float32 data, PyTorch semantics (cross-correlation — no kernel flip —, zero padding,
/// stride; groups = 1, dilation = 1), built on im2col + <see cref="Gemm.Sgemm"/>:
/// <list type="bullet">
/// <item>forward, per image n: <c>Y[n] (O × OH·OW) = W (O × C·KH·KW) · cols(X[n]) + b</c>;</item>
/// <item>input gradient: <c>dX[n] = col2im(Wᵀ · dY[n])</c>;</item>
/// <item>weight gradient: <c>dW = Σₙ dY[n] · cols(X[n])ᵀ</c>, <c>db[o] = Σₙ Σ_pixels dY[n, o]</c>.</item>
/// </list>
/// <para><b>Threads.</b> With T = <see cref="Gemm.MaxThreads"/> &gt; 1 and a batch that is a multiple of T or at least
/// 4·T images, threads claim whole images (im2col and a single-threaded GEMM each); otherwise images run in order,
/// each with a T-threaded GEMM.
/// <b>Determinism.</b> Every output is computed in a fixed order that depends only on the shapes: weight and bias
/// gradients are formed per image and then summed over n = 0, 1, …, N−1. Results are bit-identical run to run and
/// for any thread count (tested). Temporary memory: one im2col matrix per thread, and N·O·C·KH·KW floats for the weight
/// gradient's per-image partial sums (pooled).</para>
/// </summary>
public static unsafe class ConvKernels
{
    /// <summary>
    /// Unfolds one image <c>input[C, H, W]</c> into <c>cols[C·KH·KW, OutH·OutW]</c>:
    /// <c>cols[(c·KH + i)·KW + j, oy·OutW + ox] = input[c, oy·strideH − padH + i, ox·strideW − padW + j]</c>,
    /// 0 where that index falls in the padding (as <c>torch.nn.functional.unfold</c> for one image).
    /// </summary>
    public static void Im2Col(ReadOnlySpan<float> input, int c, int h, int w, int kh, int kw, int padH, int padW,
        int strideH, int strideW, Span<float> cols)
    {
        var g = new Conv2dGeometry(1, c, h, w, 1, kh, kw, padH, padW, strideH, strideW);
        g.Validate();
        CheckLength("input", input.Length, c * h * w, g);
        CheckLength("cols", cols.Length, g.PatchSize * g.OutH * g.OutW, g);
        int outH = g.OutH, outW = g.OutW, ohw = outH * outW;
        for (int ci = 0; ci < c; ci++)
            for (int ki = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++)
                {
                    var dst = cols.Slice(((ci * kh + ki) * kw + kj) * ohw, ohw);
                    ValidRange(w, outW, padW, strideW, kj, out int lo, out int hi);
                    for (int oy = 0; oy < outH; oy++)
                    {
                        var d = dst.Slice(oy * outW, outW);
                        int iy = oy * strideH - padH + ki;
                        if ((uint)iy >= (uint)h)
                        {
                            d.Clear();
                            continue;
                        }
                        d[..lo].Clear();
                        d[hi..].Clear();
                        var src = input.Slice((ci * h + iy) * w, w);
                        if (strideW == 1)
                            src.Slice(lo - padW + kj, hi - lo).CopyTo(d[lo..hi]);
                        else
                            for (int ox = lo, ix = lo * strideW - padW + kj; ox < hi; ox++, ix += strideW) d[ox] = src[ix];
                    }
                }
    }

    /// <summary>
    /// Adjoint of <see cref="Im2Col"/>, accumulating: <c>input[c, iy, ix] += cols[row, col]</c> for every (row, col)
    /// that <see cref="Im2Col"/> would read from <c>input[c, iy, ix]</c>; padding positions are dropped
    /// (<c>torch.nn.functional.fold</c> added onto <paramref name="input"/>). Clear <paramref name="input"/> first for a plain fold.
    /// </summary>
    public static void Col2Im(ReadOnlySpan<float> cols, int c, int h, int w, int kh, int kw, int padH, int padW,
        int strideH, int strideW, Span<float> input)
    {
        var g = new Conv2dGeometry(1, c, h, w, 1, kh, kw, padH, padW, strideH, strideW);
        g.Validate();
        CheckLength("input", input.Length, c * h * w, g);
        CheckLength("cols", cols.Length, g.PatchSize * g.OutH * g.OutW, g);
        int outH = g.OutH, outW = g.OutW, ohw = outH * outW;
        for (int ci = 0; ci < c; ci++)
            for (int ki = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++)
                {
                    var srcRow = cols.Slice(((ci * kh + ki) * kw + kj) * ohw, ohw);
                    ValidRange(w, outW, padW, strideW, kj, out int lo, out int hi);
                    if (hi <= lo) continue;
                    for (int oy = 0; oy < outH; oy++)
                    {
                        int iy = oy * strideH - padH + ki;
                        if ((uint)iy >= (uint)h) continue;
                        var s = srcRow.Slice(oy * outW, outW);
                        var dst = input.Slice((ci * h + iy) * w, w);
                        if (strideW == 1)
                        {
                            var d = dst.Slice(lo - padW + kj, hi - lo);
                            System.Numerics.Tensors.TensorPrimitives.Add(d, s[lo..hi], d);
                        }
                        else
                            for (int ox = lo, ix = lo * strideW - padW + kj; ox < hi; ox++, ix += strideW) dst[ix] += s[ox];
                    }
                }
    }

    /// <summary>Output columns ox in [lo, hi) whose input column ox·stride − pad + kj lies inside [0, w).</summary>
    private static void ValidRange(int w, int outW, int pad, int stride, int kj, out int lo, out int hi)
    {
        int first = pad - kj;                      // need ox·stride ≥ pad − kj
        lo = first <= 0 ? 0 : (first + stride - 1) / stride;
        int last = w - 1 + pad - kj;               // need ox·stride ≤ w − 1 + pad − kj
        hi = last < 0 ? 0 : Math.Min(outW, last / stride + 1);
        lo = Math.Min(lo, outW);
        if (hi < lo) hi = lo;
    }

    /// <summary>
    /// Forward convolution <c>output[n, o] = bias[o] + Σ_c weight[o, c] ⋆ input[n, c]</c> (cross-correlation), as
    /// <c>torch.nn.functional.conv2d(input, weight, bias, stride, padding)</c>.
    /// </summary>
    /// <param name="g">Shapes, padding and stride.</param>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="weight"><c>[O, C, KH, KW]</c>.</param>
    /// <param name="bias"><c>[O]</c>, or empty for no bias.</param>
    /// <param name="output"><c>[N, O, OutH, OutW]</c>, overwritten.</param>
    public static void Conv2dForward(in Conv2dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> output)
        => Conv2dForward(g, input, weight, bias, output, Choose(g, ConvPass.Forward));

    /// <summary><see cref="Conv2dForward(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// with an explicit algorithm (benchmarks and tests; <see cref="Choose"/> is what the engine uses).</summary>
    public static void Conv2dForward(in Conv2dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> output, ConvAlgorithm algorithm)
    {
        g.Validate();
        CheckAlgorithm(g, algorithm);
        CheckLength(nameof(input), input.Length, g.InputSize, g);
        CheckLength(nameof(weight), weight.Length, g.WeightSize, g);
        if (!bias.IsEmpty) CheckLength(nameof(bias), bias.Length, g.OutChannels, g);
        CheckLength(nameof(output), output.Length, g.OutputSize, g);
        fixed (float* x = input, w = weight, b = bias, y = output)
        {
            if (algorithm == ConvAlgorithm.ImplicitGemm)
            {
                ImplicitGemmConv.Forward(g, x, w, b, y);
                return;
            }
            var job = Job();
            job.Set(ConvOp.Forward, g, x, w, b, y, null, null, false);
            Run(job, g.Batch);
        }
    }

    /// <summary>
    /// Input gradient of <see cref="Conv2dForward(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>: <c>gradInput = conv_transpose2d(gradOutput, weight, stride, padding)</c>
    /// (<c>torch.nn.grad.conv2d_input</c>), computed as <c>col2im(Wᵀ · dY[n])</c>.
    /// </summary>
    /// <param name="g">Shapes of the forward convolution.</param>
    /// <param name="gradOutput"><c>[N, O, OutH, OutW]</c>.</param>
    /// <param name="weight"><c>[O, C, KH, KW]</c>.</param>
    /// <param name="gradInput"><c>[N, C, H, W]</c>: overwritten, or added to when <paramref name="accumulate"/>.</param>
    /// <param name="accumulate">Add into <paramref name="gradInput"/> instead of overwriting it.</param>
    public static void Conv2dBackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight,
        Span<float> gradInput, bool accumulate = false)
        => Conv2dBackwardInput(g, gradOutput, weight, gradInput, accumulate, Choose(g, ConvPass.BackwardInput));

    /// <summary><see cref="Conv2dBackwardInput(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/> with an explicit algorithm.</summary>
    public static void Conv2dBackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight,
        Span<float> gradInput, bool accumulate, ConvAlgorithm algorithm)
    {
        g.Validate();
        CheckAlgorithm(g, algorithm);
        CheckLength(nameof(gradOutput), gradOutput.Length, g.OutputSize, g);
        CheckLength(nameof(weight), weight.Length, g.WeightSize, g);
        CheckLength(nameof(gradInput), gradInput.Length, g.InputSize, g);
        fixed (float* dy = gradOutput, w = weight, dx = gradInput)
        {
            if (algorithm == ConvAlgorithm.ImplicitGemm)
            {
                ImplicitGemmConv.BackwardInput(g, dy, w, dx, accumulate);
                return;
            }
            var job = Job();
            job.Set(ConvOp.BackwardInput, g, dx, w, null, dy, null, null, accumulate);
            Run(job, g.Batch);
        }
    }

    /// <summary>
    /// Weight and bias gradients of <see cref="Conv2dForward(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>: <c>gradWeight[o, c, i, j] = Σ_n Σ_(oy,ox) gradOutput[n, o, oy, ox] ·
    /// input[n, c, oy·sH − pH + i, ox·sW − pW + j]</c> (<c>torch.nn.grad.conv2d_weight</c>) and
    /// <c>gradBias[o] = Σ_n Σ_(oy,ox) gradOutput[n, o, oy, ox]</c>, summed over images in order n = 0 … N−1.
    /// </summary>
    /// <param name="g">Shapes of the forward convolution.</param>
    /// <param name="input">The forward input <c>[N, C, H, W]</c>.</param>
    /// <param name="gradOutput"><c>[N, O, OutH, OutW]</c>.</param>
    /// <param name="gradWeight"><c>[O, C, KH, KW]</c>: overwritten, or added to when <paramref name="accumulate"/>.</param>
    /// <param name="gradBias"><c>[O]</c> (same rule), or empty to skip the bias gradient.</param>
    /// <param name="accumulate">Add into the gradients instead of overwriting them.</param>
    public static void Conv2dBackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput,
        Span<float> gradWeight, Span<float> gradBias, bool accumulate = false)
        => Conv2dBackwardWeight(g, input, gradOutput, gradWeight, gradBias, accumulate, Choose(g, ConvPass.BackwardWeight));

    /// <summary><see cref="Conv2dBackwardWeight(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, bool)"/> with an explicit algorithm.</summary>
    public static void Conv2dBackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput,
        Span<float> gradWeight, Span<float> gradBias, bool accumulate, ConvAlgorithm algorithm)
    {
        g.Validate();
        CheckAlgorithm(g, algorithm);
        CheckLength(nameof(input), input.Length, g.InputSize, g);
        CheckLength(nameof(gradOutput), gradOutput.Length, g.OutputSize, g);
        CheckLength(nameof(gradWeight), gradWeight.Length, g.WeightSize, g);
        if (!gradBias.IsEmpty) CheckLength(nameof(gradBias), gradBias.Length, g.OutChannels, g);
        int perImage = g.WeightSize + g.OutChannels;
        float[] partial = ArrayPool<float>.Shared.Rent(checked(g.Batch * perImage));
        try
        {
            fixed (float* x = input, dy = gradOutput, dw = gradWeight, db = gradBias, p = partial)
            {
                var job = Job();
                if (algorithm == ConvAlgorithm.ImplicitGemm) ImplicitGemmConv.BackwardWeightPartials(g, x, dy, p);
                else
                {
                    job.Set(ConvOp.BackwardWeight, g, x, null, null, dy, p, null, accumulate);
                    Run(job, g.Batch);
                }
                ReducePartials(g, p, dw, db, accumulate);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    /// <summary>
    /// gradWeight (and gradBias when not null) = (accumulate ? old : 0) + Σ_n partial[n], each element summed in image
    /// order; partial[n] holds the image's O·C·kh·kw weight terms followed by its O bias terms. The elements (not the
    /// images) are split over the threads.
    /// </summary>
    internal static void ReducePartials(in Conv2dGeometry g, float* partial, float* gradWeight, float* gradBias, bool accumulate)
    {
        int perImage = g.WeightSize + g.OutChannels;
        var job = Job();
        job.Set(ConvOp.ReduceWeight, g, null, null, null, null, partial, gradWeight, accumulate);
        job.GradBias = gradBias;
        job.Reduce = gradBias != null;
        job.ResetClaims();
        try { KernelParallel.Run(job, Math.Clamp(perImage / ConvJob.ReducePiece, 1, Gemm.MaxThreads)); }
        finally { job.Clear(); }
    }

    /// <summary><see cref="Conv2dForward(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> for <c>torch.nn.functional.conv1d</c>: input <c>[N, C, L]</c>, weight <c>[O, C, K]</c>; build <paramref name="g"/> with <see cref="Conv2dGeometry.Conv1d"/>.</summary>
    public static void Conv1dForward(in Conv2dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        Check1d(g);
        Conv2dForward(g, input, weight, bias, output);
    }

    /// <summary><see cref="Conv2dBackwardInput(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/> for 1-D data (see <see cref="Conv1dForward"/>).</summary>
    public static void Conv1dBackwardInput(in Conv2dGeometry g, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput, bool accumulate = false)
    {
        Check1d(g);
        Conv2dBackwardInput(g, gradOutput, weight, gradInput, accumulate);
    }

    /// <summary><see cref="Conv2dBackwardWeight(in Conv2dGeometry, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, bool)"/> for 1-D data (see <see cref="Conv1dForward"/>).</summary>
    public static void Conv1dBackwardWeight(in Conv2dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight, Span<float> gradBias, bool accumulate = false)
    {
        Check1d(g);
        Conv2dBackwardWeight(g, input, gradOutput, gradWeight, gradBias, accumulate);
    }

    /// <summary>
    /// The algorithm the engine uses for one pass of <paramref name="g"/>: a fixed function of the shapes and the
    /// instruction set (never of timings), so training is reproducible. Stride-1 layers whose padding is below the
    /// kernel size go through <see cref="ConvAlgorithm.ImplicitGemm"/> (measured faster for every layer of the
    /// benchmark CNNs, see bench/README.md); the rest through <see cref="ConvAlgorithm.Im2ColGemm"/>.
    /// </summary>
    public static ConvAlgorithm Choose(in Conv2dGeometry g, ConvPass pass)
    {
        _ = pass;
        return ImplicitGemmConv.Supports(g) ? ConvAlgorithm.ImplicitGemm : ConvAlgorithm.Im2ColGemm;
    }

    /// <summary>Whether <paramref name="algorithm"/> can compute <paramref name="g"/> on this machine.</summary>
    public static bool IsSupported(in Conv2dGeometry g, ConvAlgorithm algorithm) => algorithm switch
    {
        ConvAlgorithm.Im2ColGemm => true,
        ConvAlgorithm.ImplicitGemm => ImplicitGemmConv.Supports(g),
        _ => false,
    };

    private static void CheckAlgorithm(in Conv2dGeometry g, ConvAlgorithm algorithm)
    {
        if (!IsSupported(g, algorithm))
            throw new ShapeMismatchException($"convolution algorithm {algorithm} cannot compute {g} on this machine (instruction set {Gemm.InstructionSet}); " +
                "ImplicitGemm needs stride 1, padding below the kernel size and AVX2+FMA or AVX-512");
    }

    private static void Check1d(in Conv2dGeometry g)
    {
        if (g.Height != 1 || g.KernelH != 1 || g.PadH != 0 || g.StrideH != 1)
            throw new ShapeMismatchException($"a 1-D convolution needs Height = KernelH = StrideH = 1 and PadH = 0, got {g}; build it with Conv2dGeometry.Conv1d");
    }

    private static void CheckLength(string name, int actual, long expected, in Conv2dGeometry g)
    {
        if (actual < expected)
            throw new ShapeMismatchException($"{name} has {actual} elements but {g} needs {expected}");
    }

    // ---------------------------------------------------------------- per-image work and threading

    private enum ConvOp { Forward, BackwardInput, BackwardWeight, ReduceWeight }

    [ThreadStatic] private static ConvJob? t_job;
    [ThreadStatic] private static float[]? t_cols;

    private static ConvJob Job() => t_job ??= new ConvJob();

    /// <summary>Splits images over threads when there are enough of them; else runs them in order with threaded GEMMs.</summary>
    private static void Run(ConvJob job, int batch)
    {
        int threads = Gemm.MaxThreads;
        try
        {
            // Whole images per thread when they divide evenly or are plentiful (no per-image fork-join, no shared
            // packing); otherwise one image at a time with every thread inside the GEMM.
            if (threads > 1 && (batch % threads == 0 || batch >= 4 * threads))
            {
                job.GemmThreads = 1;
                job.ResetClaims();
                KernelParallel.Run(job, threads);
            }
            else
            {
                job.GemmThreads = threads;
                job.ResetClaims();
                job.Execute(0, 1);
            }
        }
        finally
        {
            job.Clear();
        }
    }

    private sealed class ConvJob : KernelJob
    {
        public ConvOp Op;
        public Conv2dGeometry G;
        public float* X, W, B, Y, Partial, GradWeight, GradBias;
        public bool Accumulate, Reduce;
        public int GemmThreads = 1;
        private int _next;

        public void ResetClaims() => _next = 0;

        public void Set(ConvOp op, in Conv2dGeometry g, float* x, float* w, float* b, float* y, float* partial, float* gradWeight, bool accumulate)
        {
            Op = op; G = g; X = x; W = w; B = b; Y = y; Partial = partial; GradWeight = gradWeight; Accumulate = accumulate;
        }

        public void Clear()
        {
            X = W = B = Y = Partial = GradWeight = GradBias = null;
            Reduce = false;
        }

        public override void Execute(int participant, int count)
        {
            if (Op == ConvOp.ReduceWeight)
            {
                ReducePartials();
                return;
            }
            int ckk = G.PatchSize, ohw = G.OutH * G.OutW, chw = G.InChannels * G.Height * G.Width;
            float* cols = G.IsPointwise ? null : ColsBuffer(ckk * ohw);
            // Images are claimed one at a time (a preempted thread does not hold back the others); each image's
            // result does not depend on which thread computes it.
            int n;
            while ((n = Interlocked.Increment(ref _next) - 1) < G.Batch)
            {
                float* x = X + (long)n * chw, y = Y + (long)n * G.OutChannels * ohw;
                switch (Op)
                {
                    case ConvOp.Forward: ForwardImage(x, y, cols, ckk, ohw, chw); break;
                    case ConvOp.BackwardInput: BackwardInputImage(x, y, cols, ckk, ohw, chw); break;
                    case ConvOp.BackwardWeight: BackwardWeightImage(n, x, y, cols, ckk, ohw, chw); break;
                }
            }
        }

        private void ForwardImage(float* x, float* y, float* cols, int ckk, int ohw, int chw)
        {
            var ycols = new Span<float>(y, G.OutChannels * ohw);
            float* a = x;
            if (!G.IsPointwise)
            {
                Im2Col(new ReadOnlySpan<float>(x, chw), G.InChannels, G.Height, G.Width, G.KernelH, G.KernelW, G.PadH, G.PadW, G.StrideH, G.StrideW,
                    new Span<float>(cols, ckk * ohw));
                a = cols;
            }
            Gemm.SgemmCore(false, false, G.OutChannels, ohw, ckk, 1f, new ReadOnlySpan<float>(W, G.WeightSize), ckk,
                new ReadOnlySpan<float>(a, ckk * ohw), ohw, 0f, ycols, ohw, Gemm.DefaultIsa, GemmThreads);
            if (B != null)
                for (int o = 0; o < G.OutChannels; o++)
                {
                    var row = ycols.Slice(o * ohw, ohw);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, B[o], row);
                }
        }

        private void BackwardInputImage(float* dx, float* dy, float* cols, int ckk, int ohw, int chw)
        {
            var w = new ReadOnlySpan<float>(W, G.WeightSize);
            var dyImg = new ReadOnlySpan<float>(dy, G.OutChannels * ohw);
            var dxImg = new Span<float>(dx, chw);
            if (G.IsPointwise)
            {
                Gemm.SgemmCore(true, false, ckk, ohw, G.OutChannels, 1f, w, ckk, dyImg, ohw, Accumulate ? 1f : 0f, dxImg, ohw, Gemm.DefaultIsa, GemmThreads);
                return;
            }
            var c = new Span<float>(cols, ckk * ohw);
            Gemm.SgemmCore(true, false, ckk, ohw, G.OutChannels, 1f, w, ckk, dyImg, ohw, 0f, c, ohw, Gemm.DefaultIsa, GemmThreads);
            if (!Accumulate) dxImg.Clear();
            Col2Im(c, G.InChannels, G.Height, G.Width, G.KernelH, G.KernelW, G.PadH, G.PadW, G.StrideH, G.StrideW, dxImg);
        }

        private void BackwardWeightImage(int n, float* x, float* dy, float* cols, int ckk, int ohw, int chw)
        {
            int o = G.OutChannels;
            float* part = Partial + (long)n * (G.WeightSize + o);
            float* b = x;
            if (!G.IsPointwise)
            {
                Im2Col(new ReadOnlySpan<float>(x, chw), G.InChannels, G.Height, G.Width, G.KernelH, G.KernelW, G.PadH, G.PadW, G.StrideH, G.StrideW,
                    new Span<float>(cols, ckk * ohw));
                b = cols;
            }
            Gemm.SgemmCore(false, true, o, ckk, ohw, 1f, new ReadOnlySpan<float>(dy, o * ohw), ohw,
                new ReadOnlySpan<float>(b, ckk * ohw), ohw, 0f, new Span<float>(part, G.WeightSize), ckk, Gemm.DefaultIsa, GemmThreads);
            for (int oc = 0; oc < o; oc++) part[G.WeightSize + oc] = Reductions.RowSum(dy + (long)oc * ohw, ohw);
        }

        /// <summary>gradWeight (and gradBias) = (accumulate ? old : 0) + Σ_n partial[n], each element summed in image order.</summary>
        /// <summary>Elements per claimed piece of the reduction.</summary>
        public const int ReducePiece = 4096;

        private void ReducePartials()
        {
            int wsz = G.WeightSize, per = wsz + G.OutChannels, batch = G.Batch;
            int piece;
            while ((piece = Interlocked.Increment(ref _next) - 1) * (long)ReducePiece < per)
            {
                int e0 = piece * ReducePiece, e1 = Math.Min(per, e0 + ReducePiece);
                for (int e = e0; e < e1;)
                {
                    // Run within one destination (weight part, then bias part).
                    bool isBias = e >= wsz;
                    int end = isBias ? e1 : Math.Min(e1, wsz);
                    if (isBias && !Reduce) break;
                    float* dst = isBias ? GradBias + (e - wsz) : GradWeight + e;
                    int len = end - e;
                    var acc = new Span<float>(Partial + e, len);
                    for (int n = 1; n < batch; n++)
                        System.Numerics.Tensors.TensorPrimitives.Add(acc, new ReadOnlySpan<float>(Partial + (long)n * per + e, len), acc);
                    var d = new Span<float>(dst, len);
                    if (Accumulate) System.Numerics.Tensors.TensorPrimitives.Add(d, acc, d);
                    else acc.CopyTo(d);
                    e = end;
                }
            }
        }
    }

    /// <summary>A 64-byte-aligned pinned per-thread im2col buffer of at least <paramref name="len"/> floats.</summary>
    private static float* ColsBuffer(int len)
    {
        if (t_cols is null || t_cols.Length < len + 16) t_cols = GC.AllocateUninitializedArray<float>(len + 16, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_cols));
        return (float*)((p + 63) & ~(nint)63);
    }
}

/// <summary>Small reductions with a fixed summation order (independent of alignment and thread count).</summary>
internal static unsafe class Reductions
{
    /// <summary>
    /// Σ x[0..n): 16 lanes accumulate x[16·i + l] in order of i, then lanes are added pairwise (fixed tree), then the
    /// tail in index order. Unlike a library sum, the order does not depend on the address of <paramref name="x"/>.
    /// </summary>
    public static float RowSum(float* x, int n)
    {
        int i = 0;
        float s = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) acc += Vector512.Load(x + i);
            s = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                a0 += Vector256.Load(x + i);
                a1 += Vector256.Load(x + i + 8);
            }
            s = Vector256.Sum(a0 + a1);
        }
        for (; i < n; i++) s += x[i];
        return s;
    }
}
