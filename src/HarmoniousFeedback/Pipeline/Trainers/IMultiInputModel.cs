namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// A trained multiclass model that reads several input columns per row (one per feature view: a
/// <see cref="Features.FeatureMatrix"/> for a sequence view, a <c>float[]</c> for a vector view) — the multi-input
/// counterpart of <see cref="IMulticlassModel"/>. To be saveable, an implementation also declares
/// <c>public static TSelf Load(ModelReader)</c>.
/// </summary>
public interface IMultiInputModel
{
    IReadOnlyList<string> Classes { get; }

    /// <summary>The number of input columns the model reads, in order.</summary>
    int InputCount { get; }

    /// <summary>
    /// P(class | inputs) for many rows: <paramref name="inputs"/>[m][r] is input m of row r; writes
    /// <paramref name="probabilities"/>[r] (length = number of classes).
    /// </summary>
    void PredictProbabilitiesBatch(IReadOnlyList<IReadOnlyList<object>> inputs, float[][] probabilities);

    void Save(ModelWriter writer);
}
