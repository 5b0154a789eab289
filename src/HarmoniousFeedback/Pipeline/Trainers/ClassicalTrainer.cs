using HarmoniousFeedback.Models.Classical;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>
/// Trains a classical classifier (<see cref="IClassicalClassifier"/>: SVM, LDA, logistic regression, or a user's own)
/// on a fixed-size vector column. Features are standardised on the training data (z-scores, <see cref="StandardScaler"/>)
/// when <see cref="Standardize"/> is true — as scikit-learn pipelines and <c>hfb baseline</c> do — and the scaler is
/// part of the trained model. The classifier comes from <see cref="FitClassifier"/>, a function of the (standardised) rows and
/// class indices; the catalog methods (<c>ctx.MulticlassClassification.Trainers.Svm(…)</c>) and the registered model
/// kinds (<see cref="SvmModelKind"/>, …) supply it.
/// </summary>
public sealed class ClassicalTrainer : MulticlassTrainerBase
{
    /// <param name="columns">Feature (vector) and label columns.</param>
    /// <param name="fit">Fits the classifier on rows [n × d] and class indices 0 … k − 1.</param>
    /// <param name="standardize">Standardise features with training-set mean and standard deviation first.</param>
    public ClassicalTrainer(MulticlassColumns columns, Func<double[][], int[], IClassicalClassifier> fit, bool standardize = true) : base(columns)
    {
        FitClassifier = fit;
        Standardize = standardize;
    }

    /// <summary>Fits the classifier on standardised rows and class indices.</summary>
    public Func<double[][], int[], IClassicalClassifier> FitClassifier { get; }

    public bool Standardize { get; }

    protected override IReadOnlyList<ColumnType> AcceptedFeatureTypes { get; } = [ColumnType.Vector()];

    protected override IMulticlassModel Train(object[] x, int[] y, string[] classes)
    {
        var rows = ClassicalMulticlassModel.ToDouble(x);
        StandardScaler? scaler = null;
        if (Standardize) (scaler, rows) = StandardScaler.FitTransform(rows);
        return new ClassicalMulticlassModel(classes, scaler, FitClassifier(rows, y));
    }
}
