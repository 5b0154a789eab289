using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// The audio handed to a feature extractor is unusable: it contains NaN or ±Infinity samples. (Empty, very short and
/// all-zero signals are valid and give defined outputs; see docs/features.md "Bad input".)
/// </summary>
public sealed class InvalidSignalException : HarmoniousFeedbackException
{
    public InvalidSignalException(string message) : base(message) { }
}

/// <summary>Controls how many threads frame-parallel feature code uses (results do not depend on it).</summary>
public static class FeatureParallelism
{
    private static int _max = Environment.ProcessorCount;

    /// <summary>Maximum worker threads for one extraction (default: processor count). 1 = sequential.</summary>
    public static int MaxDegreeOfParallelism
    {
        get => _max;
        set => _max = value >= 1 ? value : throw new FeatureParameterException(nameof(FeatureParallelism), [$"MaxDegreeOfParallelism = {value} must be >= 1"]);
    }

    /// <summary>Frames per work item: below this a signal is processed on the calling thread.</summary>
    public const int Grain = 256;

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, count) in blocks of <see cref="Grain"/>, in parallel when worthwhile.
    /// The blocks are the same whatever the thread count (one thread runs them in order), so a body that keeps state
    /// within a block (the pitch tracker's energy prefix, the formant tracker's warm start) gives the same results on one
    /// thread as on many, and a caller that starts at a multiple of <see cref="Grain"/> frames (streaming extraction)
    /// gets the blocks of a whole-signal run.
    /// </summary>
    internal static void For(int count, Action<int, int> body)
    {
        int blocks = (count + Grain - 1) / Grain;
        if (blocks <= 1 || _max == 1)
        {
            for (int b = 0; b < blocks; b++) body(b * Grain, Math.Min(count, (b + 1) * Grain));
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = _max },
            b => body(b * Grain, Math.Min(count, (b + 1) * Grain)));
    }
}

/// <summary>Signal checks and frame bookkeeping shared by the extractors.</summary>
internal static class SignalGuard
{
    /// <summary>Throws <see cref="InvalidSignalException"/> naming the first non-finite sample.</summary>
    public static void RequireFinite(ReadOnlySpan<float> x, string what = "signal")
    {
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i]))
                throw new InvalidSignalException($"{what} sample {i} is {x[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; feature extraction needs finite samples (replace or drop NaN/Inf first)");
    }

    /// <summary>The clip as mono (channel mean) after checking its rate against the extractor's.</summary>
    public static float[] MonoAt(AudioClip clip, int expectedRate, string extractor)
    {
        if (clip.SampleRate != expectedRate)
            throw new FeatureParameterException(extractor,
                [$"clip '{clip.Source}' has sample rate {clip.SampleRate} Hz but the extractor was built for SampleRate = {expectedRate} Hz " +
                 "(its filterbank/frequency axis depend on it); resample the clip explicitly or build the extractor with the clip's rate"]);
        return clip.ToMono();
    }

    /// <summary>Frame times: centred frames are centred on sample i·hop; uncentred frames on i·hop + frameLength/2.</summary>
    public static double[] Times(int frames, int hop, int frameLength, bool center, int sampleRate)
    {
        var t = new double[frames];
        double off = center ? 0 : frameLength / 2.0;
        for (int i = 0; i < frames; i++) t[i] = (i * (double)hop + off) / sampleRate;
        return t;
    }

    public static string[] Names(string prefix, int n)
    {
        var r = new string[n];
        for (int i = 0; i < n; i++) r[i] = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return r;
    }
}

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
