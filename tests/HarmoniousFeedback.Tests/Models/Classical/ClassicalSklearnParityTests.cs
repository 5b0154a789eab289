using HarmoniousFeedback.Models.Classical;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.Classical;

/// <summary>
/// Compatibility with scikit-learn 1.2.1 (Debian bookworm's python3-sklearn) on the deterministic "parity3" set
/// (<see cref="SyntheticData.Parity3"/>; bench/baselines/make_data.py writes the same rows to CSV). Expected values
/// were printed by <c>/usr/bin/python3 bench/baselines/sklearn_compare.py</c> (accuracies) and by fitting the same
/// estimators on the same standardised data in that interpreter (support counts, decision values, probabilities).
/// </summary>
public class ClassicalSklearnParityTests
{
    // One of the 400 test rows is 0.0025 accuracy; we allow one row of disagreement, since SMO stops at a tolerance
    // (1e-3) and a row lying within that of a boundary may fall either way.
    private const double OneTestRow = 1.0 / 400 + 1e-12;

    [Fact]
    public void Generator_reproduces_make_data_py_bit_for_bit()
    {
        // First two values of bench/baselines/data/parity3_train.csv (make_data.py, seed 42).
        var (x, _) = SyntheticData.RadialSine(42, 1, 8, 0.05);
        Assert.Equal(0.8822489062222688, x[0][0]);
        Assert.Equal(-0.4508498757188601, x[0][1]);
    }

    [Theory]
    [InlineData("svm_rbf_c1", 0.7450)]
    [InlineData("svm_rbf_c10", 0.7575)]
    [InlineData("svm_linear_c1", 0.4350)]
    [InlineData("lda_svd", 0.4200)]
    [InlineData("lda_lsqr_auto", 0.4250)]
    [InlineData("logreg_c1", 0.4300)]
    public void Test_accuracy_matches_scikit_learn(string model, double sklearnAccuracy)
    {
        var (xtr, ytr, xte, yte) = SyntheticData.Parity3();
        IClassicalClassifier m = model switch
        {
            "svm_rbf_c1" => SvmClassifier.Fit(xtr, ytr, new SvmOptions { C = 1 }),
            "svm_rbf_c10" => SvmClassifier.Fit(xtr, ytr, new SvmOptions { C = 10 }),
            "svm_linear_c1" => SvmClassifier.Fit(xtr, ytr, new SvmOptions { Kernel = SvmKernel.Linear }),
            "lda_svd" => LinearDiscriminantAnalysis.Fit(xtr, ytr),
            "lda_lsqr_auto" => LinearDiscriminantAnalysis.Fit(xtr, ytr, new LdaOptions { Solver = LdaSolver.Lsqr, Shrinkage = LdaShrinkage.Auto }),
            _ => LogisticRegression.Fit(xtr, ytr, new LogisticRegressionOptions { C = 1, MaxIter = 1000 }),
        };
        var acc = ClassificationScores.Accuracy(yte, m.Predict(xte));
        Assert.InRange(acc, sklearnAccuracy - OneTestRow, sklearnAccuracy + OneTestRow);
    }

    [Fact]
    public void Rbf_svm_support_vectors_and_decision_values_match_SVC()
    {
        var (xtr, ytr, xte, _) = SyntheticData.Parity3();
        var m = SvmClassifier.Fit(xtr, ytr);
        // SVC(C=1).fit: gamma = 1/(8·X.var()) = 0.125 on standardised data, n_support_ = [166 165 163].
        Assert.Equal(0.125, m.Gamma, 12);
        Assert.Equal(new[] { 166, 165, 163 }, m.SupportVectorsPerClass);
        // SVC(C=1, decision_function_shape="ovo").decision_function(Xte[:2]). Tolerance: both stop SMO at
        // ε = 1e-3 on the dual gap, and the float kernel cache rounds to ~1e-7, so the last digits may differ.
        double[][] expected =
        [
            [-1.3589950915, -1.7784427373, -1.2101927011],
            [1.4634668552, 1.2379635168, -1.4156804827],
        ];
        var dec = m.DecisionFunction(xte[..2]);
        for (int i = 0; i < 2; i++)
            for (int p = 0; p < 3; p++) Assert.Equal(expected[i][p], dec[i][p], 1e-3);
    }

    [Fact]
    public void Linear_svm_support_counts_match_SVC()
    {
        var (xtr, ytr, _, _) = SyntheticData.Parity3();
        var m = SvmClassifier.Fit(xtr, ytr, new SvmOptions { Kernel = SvmKernel.Linear });
        // SVC(kernel="linear", C=1).n_support_; ±2 per class because several α sit within ε of 0 or C.
        int[] sk = [239, 175, 179];
        for (int c = 0; c < 3; c++) Assert.InRange(m.SupportVectorsPerClass[c], sk[c] - 2, sk[c] + 2);
    }

    [Theory]
    [InlineData("svd", new[] { 0.4235040522, 0.124389933, 0.4521060149, 0.4029856815, 0.1239086829, 0.4731056356 })]
    [InlineData("lsqr_auto", new[] { 0.4280317371, 0.1313032674, 0.4406649956, 0.3975530048, 0.1252250864, 0.4772219089 })]
    [InlineData("logreg", new[] { 0.4215450718, 0.1271599632, 0.451294965, 0.3991780713, 0.1266495783, 0.4741723504 })]
    public void Probabilities_match_scikit_learn(string model, double[] expectedRowMajor)
    {
        var (xtr, ytr, xte, _) = SyntheticData.Parity3();
        IProbabilisticClassifier m = model switch
        {
            "svd" => LinearDiscriminantAnalysis.Fit(xtr, ytr),
            "lsqr_auto" => LinearDiscriminantAnalysis.Fit(xtr, ytr, new LdaOptions { Solver = LdaSolver.Lsqr, Shrinkage = LdaShrinkage.Auto }),
            _ => LogisticRegression.Fit(xtr, ytr, new LogisticRegressionOptions { MaxIter = 1000 }),
        };
        var p = m.PredictProba(xte[..2]);
        // LDA is closed-form (agreement to rounding); logistic regression stops at gtol = 1e-4 on a sum over 600
        // rows, so its probabilities agree to ~1e-5 with SciPy's L-BFGS-B, which takes different steps.
        double tol = model == "logreg" ? 1e-4 : 1e-8;
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < 3; c++) Assert.Equal(expectedRowMajor[i * 3 + c], p[i][c], tol);
    }
}
