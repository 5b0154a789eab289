using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// The frame loops shared by the batched frame-wise views (<see cref="Chroma"/>, <see cref="PitchSpectrogram"/>, the
/// alignment's log-mel in <see cref="ReferenceAlignmentFrames"/>): a view supplies the rows of up to
/// <see cref="RealFftBatch.Lanes"/> frames (<see cref="RowsOf"/>), and these run it over every frame of a signal
/// (<see cref="All"/>) or over an excerpt of a signal whose rows were computed once (<see cref="Excerpt"/>).
/// </summary>
internal static class FrameRows
{
    /// <summary>Computes the rows (row f into <c>rows[f·width ..]</c>) of up to <see cref="RealFftBatch.Lanes"/> frames <c>signal[starts[f] .. + n_fft)</c>.</summary>
    public delegate void RowsOf(ReadOnlySpan<float> signal, ReadOnlySpan<int> starts, Span<float> rows);

    /// <summary>
    /// The rows [frames × <paramref name="width"/>] of every frame of <paramref name="x"/>, framed as <see cref="FramedSignal"/>
    /// frames it (padding in pooled scratch), <see cref="RealFftBatch.Lanes"/> frames per <paramref name="compute"/> call and
    /// blocks of frames in parallel (<see cref="FeatureParallelism"/>).
    /// </summary>
    public static float[] All(ReadOnlySpan<float> x, int nFft, int hop, bool center, PadMode mode, int width, RowsOf compute)
    {
        var fs = FramedSignal.Rent(x, nFft, hop, center, mode);
        var data = new float[fs.Frames * width];
        try
        {
            FeatureParallelism.For(fs.Frames, (a, b) =>
            {
                Span<int> starts = stackalloc int[RealFftBatch.Lanes];
                for (int f0 = a; f0 < b; f0 += starts.Length)
                {
                    int k = Math.Min(starts.Length, b - f0);
                    for (int l = 0; l < k; l++) starts[l] = (f0 + l) * hop;
                    compute(fs.Padded, starts[..k], data.AsSpan(f0 * width, k * width));
                }
            });
        }
        finally
        {
            fs.Return();
        }
        return data;
    }

    /// <summary>
    /// Fills <paramref name="rows"/> [frames × width] with the rows of an excerpt <c>x = whole[start .. start + length)</c>
    /// from <paramref name="cached"/>, the whole signal's rows (the excerpt's first frame is the whole's
    /// <paramref name="first"/> = start/hop): with centred frames the excerpt's frame i covers <c>x[i·hop − n_fft/2 ..)</c>,
    /// so when that range lies inside the excerpt it is the whole signal's frame first + i (the same samples, the same row,
    /// copied); only the frames that reach into the excerpt's padding (⌈n_fft/2/hop⌉ at each end) are computed, from the
    /// excerpt's samples padded as <see cref="FramedSignal"/> pads them, 8 at a time — so the result is bit-identical to
    /// computing the view on the excerpt. <paramref name="frameScratch"/> holds <see cref="RealFftBatch.Lanes"/>·n_fft samples.
    /// </summary>
    public static void Excerpt(ReadOnlySpan<float> x, int frames, int first, int hop, int nFft, PadMode mode, float[] cached, int width, Span<float> rows,
        RowsOf compute, float[] frameScratch)
    {
        int pad = nFft / 2, length = x.Length;
        int pending = 0;
        Span<int> at = stackalloc int[RealFftBatch.Lanes];
        for (int i = 0; i < frames; i++)
        {
            int lo = i * hop - pad;
            if (lo >= 0 && lo + nFft <= length)
            {
                cached.AsSpan((first + i) * width, width).CopyTo(rows.Slice(i * width, width));
                continue;
            }
            // a frame reaching into the excerpt's padding: its samples as the excerpt's padded signal has them
            var frame = frameScratch.AsSpan(pending * nFft, nFft);
            for (int t = 0; t < nFft; t++)
            {
                int u = Framing.MapIndex(lo + t, length, mode);
                frame[t] = u < 0 ? 0f : x[u];
            }
            at[pending++] = i;
            if (pending == RealFftBatch.Lanes) Flush(at[..pending], nFft, width, rows, compute, frameScratch, ref pending);
        }
        if (pending > 0) Flush(at[..pending], nFft, width, rows, compute, frameScratch, ref pending);
    }

    private static void Flush(ReadOnlySpan<int> at, int nFft, int width, Span<float> rows, RowsOf compute, float[] frameScratch, ref int pending)
    {
        int k = at.Length;
        Span<float> computed = stackalloc float[RealFftBatch.Lanes * width];
        Span<int> starts = stackalloc int[RealFftBatch.Lanes];
        for (int l = 0; l < k; l++) starts[l] = l * nFft;
        compute(frameScratch.AsSpan(0, k * nFft), starts[..k], computed);
        for (int l = 0; l < k; l++) computed.Slice(l * width, width).CopyTo(rows.Slice(at[l] * width, width));
        pending = 0;
    }
}
