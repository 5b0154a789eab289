using HarmoniousFeedback.Models.Classical;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>The classical baselines on <c>ctx.MulticlassClassification.Trainers</c> (each also a registered model kind).</summary>
public static class ClassicalTrainersCatalogExtensions
{
    /// <summary>C-SVC (libsvm SMO), features standardised on the training data.</summary>
    public static ClassicalTrainer Svm(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", SvmOptions? options = null, bool standardize = true)
    {
        var o = options ?? new SvmOptions();
        o.Validate();
        return new(new MulticlassColumns(featureColumn, labelColumn), (x, y) => SvmClassifier.Fit(x, y, o), standardize);
    }

    /// <summary>Linear discriminant analysis, features standardised on the training data.</summary>
    public static ClassicalTrainer Lda(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", LdaOptions? options = null, bool standardize = true)
    {
        var o = options ?? new LdaOptions();
        o.Validate();
        return new(new MulticlassColumns(featureColumn, labelColumn), (x, y) => LinearDiscriminantAnalysis.Fit(x, y, o), standardize);
    }

    /// <summary>Multinomial logistic regression (L2, L-BFGS), features standardised on the training data.</summary>
    public static ClassicalTrainer LogisticRegression(this MulticlassTrainersCatalog c, string featureColumn = "Features", string labelColumn = "Label", LogisticRegressionOptions? options = null, bool standardize = true)
    {
        var o = options ?? new LogisticRegressionOptions();
        o.Validate();
        return new(new MulticlassColumns(featureColumn, labelColumn), (x, y) => Models.Classical.LogisticRegression.Fit(x, y, o), standardize);
    }
}
