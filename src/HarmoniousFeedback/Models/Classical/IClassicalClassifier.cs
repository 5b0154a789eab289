namespace HarmoniousFeedback.Models.Classical;

/// <summary>
/// A fitted classical classifier. Rows of <c>x</c> are samples, columns features (the same number and order as at
/// fit time). Labels are the integers given to <c>Fit</c>; <see cref="Classes"/> lists them in ascending order and
/// columns of probabilities follow that order (scikit-learn's <c>classes_</c>).
/// </summary>
public interface IClassicalClassifier
{
    /// <summary>Distinct training labels, ascending.</summary>
    IReadOnlyList<int> Classes { get; }

    /// <summary>Number of features per row the model was fitted with.</summary>
    int NumFeatures { get; }

    /// <summary>Predicted label (one of <see cref="Classes"/>) of each row.</summary>
    int[] Predict(double[][] x);

    /// <summary>
    /// Writes the fitted model in its own versioned binary form. A saveable classifier also declares
    /// <c>public static TSelf Load(BinaryReader reader)</c>, which the pipeline's model format calls by type name.
    /// </summary>
    void Save(BinaryWriter writer);
}
