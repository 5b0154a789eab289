using HarmoniousFeedback.Features.Text;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>Options of the text views: which emotion words are masked before tokenisation (the leakage check).</summary>
public sealed record TextViewOptions
{
    public EmotionMasking Masking { get; init; } = EmotionMasking.None;
}
