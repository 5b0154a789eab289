namespace HarmoniousFeedback.Features;

/// <summary>
/// Where an excerpt of a performance sits in the reference (the score rendered): <see cref="ReferenceLocator.Locate"/>'s answer.
/// </summary>
/// <param name="Start">Start of the matched part of the reference (s).</param>
/// <param name="End">End of the matched part (s, exclusive: the end of its last frame), &gt; <paramref name="Start"/>.</param>
/// <param name="Cost">Mean cosine cost 1 − cos of the path's cells, in [0, 2] (0 = the chroma match exactly).</param>
public readonly record struct ReferenceSpan(double Start, double End, double Cost);
