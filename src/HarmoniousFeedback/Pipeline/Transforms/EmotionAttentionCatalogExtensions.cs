using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Pipeline.Transforms;

/// <summary><c>ctx.Transforms.EmotionAttention(…)</c>: the HFN's emotional attention as a pipeline transform.</summary>
public static class EmotionAttentionCatalogExtensions
{
    /// <summary>
    /// Re-weights the log-mel column <paramref name="inputColumn"/> by the emotional attention of a trained
    /// <paramref name="model"/> (S = X ⊙ A into <paramref name="outputColumn"/>, or the map A with
    /// <paramref name="outputMap"/>), conditioned on the factor column <paramref name="factorsColumn"/> (Vector[3]) when
    /// given. Nothing is fitted: the estimator returns the transformer as is.
    /// </summary>
    /// <exception cref="OptionsValidationException">The model was trained without emotional attention.</exception>
    public static TrivialEstimator<EmotionAttentionTransformer> EmotionAttention(this TransformsCatalog c, string outputColumn, string inputColumn,
        HarmoniousFeedbackModel model, string? factorsColumn = null, bool outputMap = false)
    {
        var attention = model.Network.Attention
            ?? throw new OptionsValidationException("EmotionAttention", ["the model was trained without emotional attention (the A ≡ 1 ablation); there is no map to apply"]);
        return new TrivialEstimator<EmotionAttentionTransformer>(new EmotionAttentionTransformer(outputColumn, inputColumn, factorsColumn, attention, outputMap));
    }

    /// <summary>The same with a given <see cref="Models.TeachingFeedback.EmotionAttention"/> module (e.g. one being studied in a notebook).</summary>
    public static TrivialEstimator<EmotionAttentionTransformer> EmotionAttention(this TransformsCatalog c, string outputColumn, string inputColumn,
        Models.TeachingFeedback.EmotionAttention attention, string? factorsColumn = null, bool outputMap = false)
        => new(new EmotionAttentionTransformer(outputColumn, inputColumn, factorsColumn, attention, outputMap));
}
