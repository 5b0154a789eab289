namespace HarmoniousFeedback.Models.Classical;

/// <summary>A fitted classifier that also estimates class probabilities.</summary>
public interface IProbabilisticClassifier : IClassicalClassifier
{
    /// <summary>[rows × classes] probabilities, columns in the order of <see cref="IClassicalClassifier.Classes"/>; each row sums to 1.</summary>
    double[][] PredictProba(double[][] x);
}
