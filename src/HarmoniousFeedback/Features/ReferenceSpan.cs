namespace HarmoniousFeedback.Features;

/// <summary>
/// Where an excerpt of a performance sits in the reference (the score rendered): <see cref="ReferenceLocator.Locate"/>'s answer.
/// </summary>
/// <param name="Start">Start of the matched part of the reference (s).</param>
/// <param name="End">End of the matched part (s, exclusive: the end of its last frame), &gt; <paramref name="Start"/>.</param>
/// <param name="Cost">Mean cosine cost 1 − cos of the path's cells, in [0, 2] (0 = the chroma match exactly).</param>
public readonly record struct ReferenceSpan(double Start, double End, double Cost)
{
    /// <summary>
    /// The span's samples in a reference of <paramref name="available"/> samples at <paramref name="sampleRate"/>:
    /// [⌊Start·sr⌋, min(available, ⌈End·sr⌉)), at least one sample. A time that is a whole number of samples up to rounding
    /// error (the locator's frame times k·hop/sr) maps to that sample, not the one before, so a span that starts on a frame
    /// boundary starts on a hop multiple (where a prepared reference's frames can be cut rather than computed).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate or length below 1, or a span that starts outside the reference.</exception>
    public (int Start, int Length) Samples(int sampleRate, int available)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(available, 1);
        const double tolerance = 1e-6;           // samples: far above the error of k·hop/sr·sr, far below one sample
        int a = (int)Math.Floor(Start * sampleRate + tolerance);
        if (a < 0 || a >= available)
            throw new ArgumentOutOfRangeException(nameof(Start), $"the span starts at {Start} s, outside the reference's {available / (double)sampleRate:0.###} s");
        int b = (int)Math.Min(available, Math.Ceiling(End * sampleRate - tolerance));
        return (a, Math.Max(1, b - a));
    }
}
