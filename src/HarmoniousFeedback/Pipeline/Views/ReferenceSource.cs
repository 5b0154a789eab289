namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>Where the reference a performance is compared with comes from.</summary>
public enum ReferenceSource
{
    /// <summary>The clip's reference MIDI (the score), rendered by the view's renderer — what <c>hfb feedback</c> does with <c>--reference SCORE.mid</c>.</summary>
    Score,
    /// <summary>The reference audio the dataset gives with the clip (the corpus renders it with the clip's own renderer).</summary>
    Audio,
}
