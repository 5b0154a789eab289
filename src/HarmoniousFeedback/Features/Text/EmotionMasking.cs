namespace HarmoniousFeedback.Features.Text;

/// <summary>Which words <see cref="TextTokenizer.Encode"/> replaces by <see cref="TextTokenizer.MaskId"/> (see <see cref="EmotionLexicon"/>).</summary>
public enum EmotionMasking
{
    /// <summary>No masking.</summary>
    None,
    /// <summary>Affect words (<see cref="EmotionLexicon.Core"/>): words that name an emotion or mood.</summary>
    Core,
    /// <summary>Affect words plus mood-context and evaluative words (<see cref="EmotionLexicon.Extended"/>: sleep, study, beautiful, …).</summary>
    Extended,
}
