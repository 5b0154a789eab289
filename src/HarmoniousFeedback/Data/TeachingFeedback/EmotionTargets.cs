namespace HarmoniousFeedback.Data.TeachingFeedback;

/// <summary>
/// Emotional targets of a rendition (<see cref="FeedbackLabeler"/> gives the formulas): the reference's intended
/// valence/arousal, how much expressiveness the rendition keeps, and the method's three emotional factors.
/// </summary>
/// <param name="IntendedValence">The reference's valence in [−1, 1] (synthetic latent value; VGMIDI/EMOPIA quadrant signs ±1).</param>
/// <param name="IntendedArousal">The reference's arousal in [−1, 1].</param>
/// <param name="Expressiveness">Dynamic contrast kept, in [0, 1]: min(1, σ(L_played)/σ(L_clean)).</param>
/// <param name="Tone">Energy conveyed in [−1, 1]: the intended arousal moved by tempo, loudness and articulation changes.</param>
/// <param name="Sentiment">Valence conveyed in [−1, 1]: the intended valence scaled by expressiveness, soured by wrong notes.</param>
/// <param name="Engagement">In [0, 1]: half expressiveness, half flow (mean of the rhythm, tempo and completeness scores).</param>
public sealed record EmotionTargets(double IntendedValence, double IntendedArousal, double Expressiveness, double Tone, double Sentiment, double Engagement)
{
    /// <summary>Names as used in <see cref="Clip.Targets"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["intended_valence", "intended_arousal", "expressiveness", "tone", "sentiment", "engagement"];

    /// <summary>
    /// The range a target is defined on: [0, 1] for expressiveness and engagement, [−1, 1] for the other four.
    /// </summary>
    /// <exception cref="OptionsValidationException">A name not in <see cref="Names"/>.</exception>
    public static (double Min, double Max) RangeOf(string name) => name switch
    {
        "expressiveness" or "engagement" => (0, 1),
        "intended_valence" or "intended_arousal" or "tone" or "sentiment" => (-1, 1),
        _ => throw new OptionsValidationException(nameof(EmotionTargets), [$"emotional target '{name}' is not one of {string.Join(", ", Names)}"]),
    };

    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["intended_valence"] = IntendedValence,
        ["intended_arousal"] = IntendedArousal,
        ["expressiveness"] = Expressiveness,
        ["tone"] = Tone,
        ["sentiment"] = Sentiment,
        ["engagement"] = Engagement,
    };
}
