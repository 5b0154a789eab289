using HarmoniousFeedback.Nn.Kernels;

namespace HarmoniousFeedback.Nn;

/// <summary>
/// A frozen inference plan of a <see cref="Sequential"/> made of n blocks Conv2d → BatchNorm2d → ReLU → MaxPool2d(2)
/// (e.g. a spectrogram encoder), each folded (<see cref="FoldedConvBlock"/>): images [count, C₀, H, W] →
/// [count, Cₙ, Hₙ, Wₙ] with Hᵢ = ⌊(Hᵢ₋₁ + 2p − k + 1)/2⌋ (⌊H/2ⁿ⌋ for 3 × 3, padding 1). Equal to the eval-mode
/// <see cref="Sequential.Forward"/> up to the rounding of the fold. Images are independent: with
/// <see cref="Gemm.MaxThreads"/> &gt; 1 threads claim whole images (each image's result is the same whichever thread computes
/// it); the intermediate activations live in per-thread scratch reused across calls, so a call allocates nothing once every
/// thread has seen the largest shape. A snapshot: build a new one after the weights or running statistics change.
/// </summary>
public sealed class FoldedConvStack
{
    /// <summary>Folds every block of <paramref name="blocks"/>.</summary>
    /// <exception cref="ShapeMismatchException">A layer sequence other than repeated Conv2d, BatchNorm2d, ReLU, MaxPool2d(2), or channels that do not chain.</exception>
    public FoldedConvStack(Sequential blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var layers = blocks.Layers;
        var folded = new List<FoldedConvBlock>();
        if (layers.Count == 0 || layers.Count % 4 != 0)
            throw new ShapeMismatchException($"FoldedConvStack needs blocks of Conv2d, BatchNorm2d, ReLU, MaxPool2d(2); got {layers.Count} layers");
        for (int i = 0; i < layers.Count; i += 4)
        {
            if (layers[i] is not Conv2d conv || layers[i + 1] is not BatchNorm2d norm || layers[i + 2] is not ReLU || layers[i + 3] is not MaxPool2d { Is2x2Stride2: true })
                throw new ShapeMismatchException($"FoldedConvStack: layers {i}–{i + 3} are {string.Join(", ", layers.Skip(i).Take(4).Select(l => l.GetType().Name))}, expected Conv2d, BatchNorm2d, ReLU, MaxPool2d(2)");
            var block = new FoldedConvBlock(conv, norm);
            if (folded.Count > 0 && folded[^1].OutChannels != block.InChannels)
                throw new ShapeMismatchException($"FoldedConvStack: block {folded.Count} reads {block.InChannels} channels but the previous block writes {folded[^1].OutChannels}");
            folded.Add(block);
        }
        _blocks = [.. folded];
    }

    private readonly FoldedConvBlock[] _blocks;

    /// <summary>The folded blocks, input first.</summary>
    public IReadOnlyList<FoldedConvBlock> Blocks => _blocks;
    public int InChannels => _blocks[0].InChannels;
    public int OutChannels => _blocks[^1].OutChannels;

    /// <summary>(Cₙ, Hₙ, Wₙ) of one image of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public (int C, int H, int W) OutputShape(int height, int width)
    {
        for (int i = 0; i < _blocks.Length; i++) (height, width) = _blocks[i].OutputSize(height, width);   // no enumerator: Forward allocates nothing
        return (OutChannels, height, width);
    }

    /// <summary>Runs <paramref name="count"/> images [count, C₀, H, W] (row-major) into <paramref name="output"/> [count, Cₙ, Hₙ, Wₙ].</summary>
    /// <exception cref="ShapeMismatchException">Spans too short for the shapes, or an image too small for the blocks' pooling.</exception>
    public unsafe void Forward(ReadOnlySpan<float> images, int count, int height, int width, Span<float> output)
    {
        var (c, oh, ow) = OutputShape(height, width);
        long inSize = (long)InChannels * height * width, outSize = (long)c * oh * ow;
        if (count < 1 || images.Length < count * inSize || output.Length < count * outSize)
            throw new ShapeMismatchException($"FoldedConvStack: {count} image(s) [{InChannels}, {height}, {width}] → [{c}, {oh}, {ow}] need {count * inSize} input and {count * outSize} output floats, got {images.Length} and {output.Length}");
        if (oh < 1 || ow < 1)
            throw new ShapeMismatchException($"FoldedConvStack: an image of {height}×{width} is too small for {Blocks.Count} pooling blocks");
        int threads = Math.Min(count, Gemm.MaxThreads);
        if (threads <= 1)
        {
            for (int n = 0; n < count; n++) Image(images.Slice((int)(n * inSize), (int)inSize), height, width, output.Slice((int)(n * outSize), (int)outSize));
            return;
        }
        fixed (float* xp = images, yp = output)
        {
            var job = t_job ??= new ImageJob();
            job.Set(this, xp, yp, count, height, width, inSize, outSize);
            try { KernelParallel.Run(job, threads); }
            finally { job.Clear(); }
        }
    }

    [ThreadStatic] private static float[]? t_ping, t_pong;
    [ThreadStatic] private static ImageJob? t_job;

    /// <summary>One image through every block, intermediate activations in this thread's scratch.</summary>
    private void Image(ReadOnlySpan<float> x, int h, int w, Span<float> y)
    {
        long largest = 0;
        int hh = h, ww = w;
        for (int i = 0; i < _blocks.Length - 1; i++)
        {
            (hh, ww) = _blocks[i].OutputSize(hh, ww);
            largest = Math.Max(largest, (long)_blocks[i].OutChannels * hh * ww);
        }
        if (t_ping is null || t_ping.Length < largest) t_ping = new float[largest];
        if (t_pong is null || t_pong.Length < largest) t_pong = new float[largest];
        ReadOnlySpan<float> src = x;
        bool ping = true;
        for (int i = 0; i < _blocks.Length; i++)
        {
            var b = _blocks[i];
            var (ph, pw) = b.OutputSize(h, w);
            int size = b.OutChannels * ph * pw;
            var dst = i == _blocks.Length - 1 ? y[..size] : (ping ? t_ping : t_pong).AsSpan(0, size);
            b.Forward(src, h, w, dst);
            src = dst;
            ping = !ping;
            (h, w) = (ph, pw);
        }
    }

    private sealed unsafe class ImageJob : KernelJob
    {
        private FoldedConvStack? _stack;
        private float* _x, _y;
        private int _count, _h, _w, _next;
        private long _in, _out;

        public void Set(FoldedConvStack stack, float* x, float* y, int count, int h, int w, long inSize, long outSize)
        {
            _stack = stack; _x = x; _y = y; _count = count; _h = h; _w = w; _in = inSize; _out = outSize; _next = 0;
        }

        public void Clear() { _stack = null; _x = _y = null; }

        public override void Execute(int participant, int count)
        {
            int n;
            while ((n = Interlocked.Increment(ref _next) - 1) < _count)
                _stack!.Image(new ReadOnlySpan<float>(_x + n * _in, (int)_in), _h, _w, new Span<float>(_y + n * _out, (int)_out));
        }
    }
}
