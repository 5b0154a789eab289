using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// A signal prepared for framing: padded by <c>n_fft/2</c> on both sides when centred, so that frame i is
/// <c>Padded[i·hop .. i·hop + n_fft − 1]</c>.
/// </summary>
internal readonly struct FramedSignal
{
    public readonly float[] Padded;
    public readonly int Frames;
    public readonly int Hop;
    public readonly int FrameLength;

    public FramedSignal(ReadOnlySpan<float> x, int frameLength, int hop, bool center, PadMode mode)
    {
        Hop = hop; FrameLength = frameLength;
        Frames = Framing.FrameCount(x.Length, frameLength, hop, center);
        Padded = center ? Framing.Pad(x, frameLength / 2, mode) : x.ToArray();
    }

    public ReadOnlySpan<float> Frame(int i) => Padded.AsSpan(i * Hop, FrameLength);
}
