namespace HarmoniousFeedback.Dsp;

/// <summary>How a signal is extended beyond its ends when frames are centred.</summary>
public enum PadMode
{
    /// <summary>numpy/torch <c>reflect</c>: mirror without repeating the edge sample, <c>x[−k] = x[k]</c>.</summary>
    Reflect,
    /// <summary>Zeros.</summary>
    Constant,
    /// <summary>Repeat the edge sample (numpy <c>edge</c>, torch <c>replicate</c>).</summary>
    Edge,
}
