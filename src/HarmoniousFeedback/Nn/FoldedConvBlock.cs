using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// An inference-only Conv2d → BatchNorm2d (running statistics) → ReLU → MaxPool2d(2) block with the batch norm folded
/// into the convolution (what ONNX Runtime's graph optimiser does):
/// <code>
///   s[o]  = γ[o] / √(σ²[o] + ε)                       (σ² = running_var, μ = running_mean, γ/β = the norm's weight/bias)
///   W'[o] = W[o] · s[o]                               [O, C, kh, kw]
///   b'[o] = (b[o] − μ[o]) · s[o] + β[o]               [O]   (b = 0 for a convolution without bias)
///   y     = maxpool2(relu(W' ⋆ x + b'))               x [C, H, W] → y [O, ⌊OH/2⌋, ⌊OW/2⌋], OH = H + 2·ph − kh + 1
/// </code>
/// equal to the eval-mode block (<see cref="Sequential"/>'s fused BatchNorm → ReLU → MaxPool2d) up to float rounding: folding
/// rounds W·s and the bias once instead of scaling each output, so outputs differ from the unfolded block by a few ulps of the
/// convolution's terms (the tests bound the difference). s, W' and b' are computed in double and rounded once.
/// The block is a snapshot: it copies and packs the weights when built and does not follow later changes of the modules.
/// Stride 1 and padding below the kernel size (the HFN encoder's 3 × 3, padding 1). <see cref="Forward"/> runs one image on the
/// calling thread, allocation-free after a thread's first call at the largest shape, by one of two algorithms chosen when the
/// block is built (<see cref="UsesWinograd"/>, <see cref="UsesSingleChannelKernel"/>):
/// <list type="bullet">
/// <item>3 × 3 kernels with padding 1 and at least 16 input channels: Winograd's F(2 × 2, 3 × 3) (Lavin &amp; Gray 2016;
/// <c>WinogradConvReluPool</c>): 16 multiplies per 2 × 2 outputs and channel instead of 36, the 2 × 2 output tile pooled as it
/// leaves the output transform. It sums the same terms in another order with a few more roundings: outputs differ from the
/// direct path by a few ulps of Σ|W'|·|x| (tested to 2⁻¹⁸ of that sum against a double-precision convolution). Measured at
/// batch 1, one thread, on the HFN encoder (bench/README.md): 1.4–1.9× faster than the direct path for 16 → 32, 32 → 64 and
/// 64 → 64 channels; with one input channel (the first block) the transforms would cost more than the products save.</item>
/// <item>3 × 3 kernels with padding 1 and one input channel (the first block, on the log-mel): a register kernel
/// (<c>SingleChannelConvReluPool</c>) that shares each input load among all output channels and pools in registers; 9
/// multiply–adds per output are too few for the implicit GEMM's packing to pay off.</item>
/// <item>otherwise the direct implicit GEMM (<see cref="ConvKernels"/>' microkernel on the zero-padded planes, pooled in cache:
/// <c>ConvReluPoolInference</c>); machines without AVX2 use its scalar reference.</item>
/// </list>
/// </summary>
public sealed unsafe class FoldedConvBlock
{
    private readonly float[] _packed;   // pinned, ImplicitGemmConv's packed layout (TileRows channels per block)

    /// <summary>Folds <paramref name="norm"/> into <paramref name="conv"/> (see the type).</summary>
    /// <exception cref="ShapeMismatchException">The norm's channels differ from the convolution's outputs, or the convolution has a stride other than 1 or padding ≥ its kernel.</exception>
    public FoldedConvBlock(Conv2d conv, BatchNorm2d norm)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(norm);
        int o = conv.Weight.Shape[0], c = conv.Weight.Shape[1];
        (KernelH, KernelW) = conv.KernelSize;
        if (norm.NumFeatures != o)
            throw new ShapeMismatchException($"FoldedConvBlock: BatchNorm2d({norm.NumFeatures}) cannot follow a convolution with {o} output channels");
        if (conv.Stride != (1, 1) || conv.Padding.H >= KernelH || conv.Padding.W >= KernelW)
            throw new ShapeMismatchException($"FoldedConvBlock needs stride 1 and padding below the kernel size, got stride ({conv.Stride.H}, {conv.Stride.W}), padding ({conv.Padding.H}, {conv.Padding.W}), kernel {KernelH}×{KernelW}");
        InChannels = c;
        OutChannels = o;
        Padding = conv.Padding;
        int taps = c * KernelH * KernelW;
        Weight = new float[o * taps];
        Bias = new float[o];
        var w = conv.Weight.Data;
        for (int oc = 0; oc < o; oc++)
        {
            double s = norm.Weight.Data[oc] / Math.Sqrt((double)norm.RunningVar.Data[oc] + norm.Eps);
            double b = conv.Bias is null ? 0 : conv.Bias.Data[oc];
            Bias[oc] = (float)((b - norm.RunningMean.Data[oc]) * s + norm.Bias.Data[oc]);
            for (int k = 0; k < taps; k++) Weight[oc * taps + k] = (float)(w[oc * taps + k] * s);
        }
        _packed = GC.AllocateUninitializedArray<float>(Weight.Length, pinned: true);
        var lay = ConvReluPoolInference.Layout(Geometry(Math.Max(KernelH, 2), Math.Max(KernelW, 2)));
        fixed (float* wp = Weight, pp = _packed) ConvReluPoolInference.Pack(wp, lay, pp);
        if (KernelH == 3 && KernelW == 3 && Padding == (1, 1) && c >= WinogradMinChannels && WinogradConvReluPool.IsSupported)
        {
            _winograd = GC.AllocateUninitializedArray<float>(WinogradConvReluPool.Xi * o * c, pinned: true);
            WinogradConvReluPool.PackFilters(Weight, o, c, _winograd);
        }
    }

    /// <summary>
    /// Input channels from which a 3 × 3, padding-1 block takes the Winograd path. Measured per HFN encoder layer at batch 1,
    /// one thread (hfb-bench onnx --threads 1 --filter hfn --profile, see bench/README.md): from 16 channels on (the smallest
    /// such layer of the encoder) Winograd is faster; with fewer channels the per-channel products (K = C) are too short for the
    /// register tile to amortise the transforms, and the 1-channel first block stays direct.
    /// </summary>
    internal const int WinogradMinChannels = 16;

    private readonly float[]? _winograd;   // pinned, WinogradConvReluPool's packed U = G g Gᵀ (null: direct path only)

    /// <summary>Whether <see cref="Forward"/> computes the convolution by Winograd's F(2 × 2, 3 × 3)
    /// (<c>WinogradConvReluPool</c>: 3 × 3 kernel, padding 1, at least 16 input channels, AVX2) rather than the direct implicit GEMM.</summary>
    public bool UsesWinograd => _winograd is not null;

    /// <summary>Whether <see cref="Forward"/> uses the register kernel for one input channel (<c>SingleChannelConvReluPool</c>:
    /// 3 × 3 kernel, padding 1, one input channel, AVX2 + FMA) rather than the direct implicit GEMM.</summary>
    public bool UsesSingleChannelKernel => InChannels == 1 && KernelH == 3 && KernelW == 3 && Padding == (1, 1) && SingleChannelConvReluPool.IsSupported;

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelH { get; }
    public int KernelW { get; }
    public (int H, int W) Padding { get; }

    /// <summary>W' [O, C, kh, kw], row-major (a copy made when the block was built).</summary>
    public float[] Weight { get; }

    /// <summary>b' [O].</summary>
    public float[] Bias { get; }

    /// <summary>The pooled output size (⌊OH/2⌋, ⌊OW/2⌋) for an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public (int H, int W) OutputSize(int height, int width) =>
        ((height + 2 * Padding.H - KernelH + 1) / 2, (width + 2 * Padding.W - KernelW + 1) / 2);

    /// <summary>Test hook (per thread): run the scalar reference instead of the vector kernel.</summary>
    internal static bool ForceScalar { get => t_forceScalar; set => t_forceScalar = value; }
    [ThreadStatic] private static bool t_forceScalar;

    /// <summary>Test hook (per thread): this band height (output rows) instead of the per-shape rule (null = the rule).</summary>
    internal static int? ForceBandRows { get => t_forceBandRows; set => t_forceBandRows = value; }
    [ThreadStatic] private static int? t_forceBandRows;

    /// <summary>Test hook (per thread): tiles per band of the Winograd path instead of the per-shape rule (null = the rule).</summary>
    internal static int? ForceBandTiles { get => t_forceBandTiles; set => t_forceBandTiles = value; }
    [ThreadStatic] private static int? t_forceBandTiles;

    /// <summary>Test and benchmark hook (per thread): run the direct implicit GEMM even where <see cref="UsesWinograd"/> or <see cref="UsesSingleChannelKernel"/>.</summary>
    internal static bool ForceDirect { get => t_forceDirect; set => t_forceDirect = value; }
    [ThreadStatic] private static bool t_forceDirect;

    /// <summary>One image on the calling thread: x [C, H, W] → y [O, ⌊OH/2⌋, ⌊OW/2⌋] (see the type). While an
    /// <see cref="OpProfiler"/> is active the call is timed per layer shape (2·O·C·kh·kw·OH·OW FLOP).</summary>
    /// <exception cref="ShapeMismatchException">Spans shorter than the shapes need, or an input smaller than 2 × 2 outputs.</exception>
    public void Forward(ReadOnlySpan<float> x, int height, int width, Span<float> y)
    {
        var g = Geometry(height, width);
        if (height < 1 || width < 1 || g.OutH < 2 || g.OutW < 2)
            throw new ShapeMismatchException($"FoldedConvBlock: input {height}×{width} gives a convolution output {g.OutH}×{g.OutW}; pooling by 2 needs at least 2×2");
        var (ph, pw) = OutputSize(height, width);
        if (x.Length < InChannels * height * width || y.Length < OutChannels * ph * pw)
            throw new ShapeMismatchException($"FoldedConvBlock({InChannels}→{OutChannels}): input has {x.Length} floats for [{InChannels}, {height}, {width}], output {y.Length} for [{OutChannels}, {ph}, {pw}]");
        if (t_forceScalar || !ConvReluPoolInference.Supports(g))
        {
            ConvReluPoolInference.ForwardScalar(g, x, Weight, Bias, y);
            return;
        }
        var prof = OpProfiler.Current;
        var clock = F.KernelClock.Start(prof);
        if (_winograd is not null && !t_forceDirect)
        {
            fixed (float* xp = x, yp = y, up = _winograd, bp = Bias)
                WinogradConvReluPool.Forward(InChannels, OutChannels, height, width, up, bp, xp, yp, t_forceBandTiles ?? 0);
            if (prof is not null) clock.Stop(prof, F.ConvLabel(g), "inference, Winograd F(2×2,3×3), folded BN+ReLU+pool", F.ConvFlop(g));
            return;
        }
        if (UsesSingleChannelKernel && !t_forceDirect)
        {
            fixed (float* xp = x, yp = y, wp = Weight, bp = Bias)
                SingleChannelConvReluPool.Forward(OutChannels, height, width, wp, bp, xp, yp);
            if (prof is not null) clock.Stop(prof, F.ConvLabel(g), "inference, 1-channel register kernel, folded BN+ReLU+pool", F.ConvFlop(g));
            return;
        }
        var lay = ConvReluPoolInference.Layout(g);
        fixed (float* xp = x, yp = y, wp = _packed, bp = Bias)
            ConvReluPoolInference.Forward(lay, wp, bp, xp, yp, t_forceBandRows ?? ConvReluPoolInference.BandRows(lay));
        if (prof is not null) clock.Stop(prof, F.ConvLabel(g), "inference, folded BN+ReLU+pool", F.ConvFlop(g));
    }

    private Conv2dGeometry Geometry(int height, int width) => new(1, InChannels, height, width, OutChannels, KernelH, KernelW, Padding.H, Padding.W);
}
