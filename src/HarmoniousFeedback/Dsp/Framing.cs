namespace HarmoniousFeedback.Dsp;

/// <summary>Framing conventions shared by every frame-based feature.</summary>
public static class Framing
{
    /// <summary>
    /// Number of frames. Centred: <c>1 + floor(N / hop)</c> (torch.stft with center=True). Not centred:
    /// <c>1 + floor((N − frameLength)/hop)</c> when N ≥ frameLength, else 0.
    /// </summary>
    public static int FrameCount(int signalLength, int frameLength, int hop, bool center)
    {
        if (center) return signalLength == 0 ? 0 : 1 + signalLength / hop;
        return signalLength < frameLength ? 0 : 1 + (signalLength - frameLength) / hop;
    }

    /// <summary>
    /// Maps index <paramref name="i"/> (may be negative or ≥ n) to a sample index under <paramref name="mode"/>; −1 means
    /// "zero" (constant mode). Reflect repeats the mirror as numpy does for pads longer than the signal
    /// (period 2(n−1)); a one-sample signal reflects to itself.
    /// </summary>
    public static int MapIndex(int i, int n, PadMode mode)
    {
        if ((uint)i < (uint)n) return i;
        switch (mode)
        {
            case PadMode.Constant: return -1;
            case PadMode.Edge: return i < 0 ? 0 : n - 1;
            default:
                if (n == 1) return 0;
                int period = 2 * (n - 1);
                int r = i % period; if (r < 0) r += period;
                return r < n ? r : period - r;
        }
    }

    /// <summary>
    /// Returns the signal padded with <paramref name="pad"/> samples on both sides (<c>xp[m] = x[m − pad]</c>).
    /// </summary>
    public static float[] Pad(ReadOnlySpan<float> x, int pad, PadMode mode)
    {
        var r = new float[x.Length + 2 * pad];
        PadInto(x, pad, mode, r);
        return r;
    }

    /// <summary>
    /// <see cref="Pad(ReadOnlySpan{float}, int, PadMode)"/> into <paramref name="destination"/>'s first n + 2·pad values
    /// (every one of them written; the rest untouched), for a caller that reuses a buffer.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than n + 2·pad.</exception>
    public static void PadInto(ReadOnlySpan<float> x, int pad, PadMode mode, Span<float> destination)
    {
        int n = x.Length;
        if (destination.Length < n + 2 * pad)
            throw new ArgumentException($"the padded signal needs {n + 2 * pad} values, the destination has {destination.Length}", nameof(destination));
        var r = destination[..(n + 2 * pad)];
        x.CopyTo(r[pad..]);
        if (n == 0)
        {
            r[..pad].Clear();
            r[(pad + n)..].Clear();
            return;
        }
        for (int k = 1; k <= pad; k++)
        {
            int lo = MapIndex(-k, n, mode), hi = MapIndex(n - 1 + k, n, mode);
            r[pad - k] = lo < 0 ? 0f : x[lo];
            r[pad + n - 1 + k] = hi < 0 ? 0f : x[hi];
        }
    }
}
