namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>Predicts the training class frequencies for every input (the argmax is the majority class, the first on ties).</summary>
public sealed class MajorityClassifier(IReadOnlyList<string> classes, float[] priors) : IMulticlassModel
{
    public IReadOnlyList<string> Classes { get; } = classes;
    public IReadOnlyList<float> Priors { get; } = priors;

    public void PredictProbabilities(object input, Span<float> probabilities) => priors.CopyTo(probabilities);

    public void Save(ModelWriter writer)
    {
        writer.Write(Classes);
        writer.Write(priors);
    }

    public static MajorityClassifier Load(ModelReader reader) => new(reader.ReadStringArray(), reader.ReadSingleArray());
}
