using System.Buffers;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// A signal prepared for framing: padded by <c>n_fft/2</c> on both sides when centred, so that frame i is
/// <c>Padded[i·hop .. i·hop + n_fft − 1]</c>. <see cref="Rent"/> builds it in a pooled buffer (longer than needed,
/// the same values where frames read): a 3 s window at 16 kHz pads to ≈ 200 KB, which would otherwise be a fresh
/// large-object allocation per call.
/// </summary>
internal readonly struct FramedSignal
{
    public readonly float[] Padded;
    public readonly int Frames;
    public readonly int Hop;
    public readonly int FrameLength;

    private readonly bool _rented;

    public FramedSignal(ReadOnlySpan<float> x, int frameLength, int hop, bool center, PadMode mode)
    {
        Hop = hop; FrameLength = frameLength;
        Frames = Framing.FrameCount(x.Length, frameLength, hop, center);
        Padded = center ? Framing.Pad(x, frameLength / 2, mode) : x.ToArray();
    }

    private FramedSignal(float[] padded, int frames, int hop, int frameLength)
    {
        Padded = padded; Frames = frames; Hop = hop; FrameLength = frameLength; _rented = true;
    }

    /// <summary>
    /// The same framing with <see cref="Padded"/> rented from <see cref="ArrayPool{T}.Shared"/>: its first
    /// n (+ n_fft when centred) values are those the constructor computes, the rest are stale. Give it back with
    /// <see cref="Return"/> once no frame is read any more.
    /// </summary>
    public static FramedSignal Rent(ReadOnlySpan<float> x, int frameLength, int hop, bool center, PadMode mode)
    {
        int pad = center ? frameLength / 2 : 0;
        var buffer = ArrayPool<float>.Shared.Rent(x.Length + 2 * pad);
        if (center) Framing.PadInto(x, pad, mode, buffer);
        else x.CopyTo(buffer);
        return new FramedSignal(buffer, Framing.FrameCount(x.Length, frameLength, hop, center), hop, frameLength);
    }

    /// <summary>Returns a <see cref="Rent"/>ed buffer to the pool (nothing for one the constructor allocated).</summary>
    public void Return()
    {
        if (_rented) ArrayPool<float>.Shared.Return(Padded);
    }

    public ReadOnlySpan<float> Frame(int i) => Padded.AsSpan(i * Hop, FrameLength);
}
