using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// A frame-wise view of an excerpt <c>x = whole[start .. start + length)</c> assembled from the rows of the whole signal,
/// computed once: with centred frames, the excerpt's frame i covers <c>x[i·hop − n_fft/2 ..)</c>, so when
/// <c>start</c> is a multiple of the hop and that range lies inside the excerpt it is the whole signal's frame
/// <c>start/hop + i</c> (the same samples, the same row); only the frames that reach into the excerpt's padding
/// (⌈n_fft/2/hop⌉ at each end) are computed, from the excerpt's samples padded as <see cref="FramedSignal"/> pads them —
/// so the result is bit-identical to computing the view on the excerpt. Used by <see cref="ReferenceAlignmentFrames"/>
/// and <see cref="PitchSpectrogram"/>.
/// </summary>
internal static class ExcerptFrames
{
    /// <summary>Computes the rows (row f into <c>rows[f·width ..]</c>) of up to <see cref="RealFftBatch.Lanes"/> frames <c>signal[starts[f] .. + n_fft)</c>.</summary>
    public delegate void RowsOf(ReadOnlySpan<float> signal, ReadOnlySpan<int> starts, Span<float> rows);

    /// <summary>
    /// Fills <paramref name="rows"/> [frames × width] with the excerpt <paramref name="x"/>'s rows: copies of
    /// <paramref name="cached"/> (the whole signal's rows, first row of the excerpt = <paramref name="first"/>) where the
    /// frame lies inside the excerpt, else computed by <paramref name="compute"/> on the padded samples, 8 at a time.
    /// <paramref name="frameScratch"/> holds <see cref="RealFftBatch.Lanes"/>·n_fft samples, <paramref name="startScratch"/>
    /// <see cref="RealFftBatch.Lanes"/> offsets.
    /// </summary>
    public static void Assemble(ReadOnlySpan<float> x, int frames, int first, int hop, int nFft, PadMode mode, float[] cached, int width, Span<float> rows,
        RowsOf compute, float[] frameScratch, int[] startScratch)
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
            if (pending == RealFftBatch.Lanes) Flush(at[..pending], nFft, width, rows, compute, frameScratch, startScratch, ref pending);
        }
        if (pending > 0) Flush(at[..pending], nFft, width, rows, compute, frameScratch, startScratch, ref pending);
    }

    private static void Flush(ReadOnlySpan<int> at, int nFft, int width, Span<float> rows, RowsOf compute, float[] frameScratch, int[] startScratch, ref int pending)
    {
        int k = at.Length;
        Span<float> computed = stackalloc float[RealFftBatch.Lanes * width];
        for (int l = 0; l < k; l++) startScratch[l] = l * nFft;
        compute(frameScratch.AsSpan(0, k * nFft), startScratch.AsSpan(0, k), computed);
        for (int l = 0; l < k; l++) computed.Slice(l * width, width).CopyTo(rows.Slice(at[l] * width, width));
        pending = 0;
    }
}
