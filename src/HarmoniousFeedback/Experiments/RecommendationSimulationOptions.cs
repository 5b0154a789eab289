using HarmoniousFeedback.Models.PianoEmotion;
using HarmoniousFeedback.Models.Recommendation;

namespace HarmoniousFeedback.Experiments;

/// <summary>Options of <see cref="RecommendationSimulation"/>: the listeners' generative model, the recommender and the evaluation.</summary>
public sealed record RecommendationSimulationOptions
{
    public ListeningSimulationOptions Simulation { get; init; } = new();
    /// <summary>How many of the week's most played pieces form the emotion profile.</summary>
    public int TopK { get; init; } = 3;
    /// <summary>k of HitRate@k and NDCG@k (the length of the recommended list).</summary>
    public int ListLength { get; init; } = 10;
    /// <summary>Offers per session in the accept/reject loop.</summary>
    public int Rounds { get; init; } = 3;
    /// <summary>The emotion estimator: the paper's 3-layer LSTM + attention (tuned Adam preset).</summary>
    public LstmClassifierOptions Classifier { get; init; } = LstmClassifierOptions.Tuned with { Layers = 3, Attention = true };
    /// <summary>Seed of the song split (classifier songs vs catalog songs) and of the classifier.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Paired bootstrap resamples (over users) for the confidence intervals of the differences.</summary>
    public int Bootstrap { get; init; } = 1000;

    public void Validate()
    {
        var v = new OptionsValidator(nameof(RecommendationSimulationOptions));
        v.InRange(nameof(TopK), TopK, 1, 1000);
        v.InRange(nameof(ListLength), ListLength, 1, 10_000);
        v.InRange(nameof(Rounds), Rounds, 1, 100);
        v.InRange(nameof(Bootstrap), Bootstrap, 0, 100_000);
        // the nested options' problems join this list, so one exception names every problem
        Nested(v, nameof(Simulation), Simulation.Validate);
        Nested(v, nameof(Classifier), Classifier.Validate);
        v.ThrowIfAny();
    }

    private static void Nested(OptionsValidator v, string name, Action validate)
    {
        try { validate(); }
        catch (OptionsValidationException e)
        {
            foreach (var problem in e.Problems) v.Check(false, $"{name}.{problem}");
        }
    }
}
