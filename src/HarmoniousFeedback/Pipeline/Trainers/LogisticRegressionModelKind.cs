using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>Registry entry <c>logreg</c>: multinomial L2 logistic regression by L-BFGS (<see cref="Models.Classical.LogisticRegression"/>).</summary>
public sealed class LogisticRegressionModelKind : ClassicalModelKind<LogisticRegressionOptions>
{
    public override string Name => "logreg";
    public override string Summary => "multinomial logistic regression, L2, L-BFGS (sklearn LogisticRegression) on standardised features (docs/baselines.md)";

    protected override LogisticRegressionOptions ReadOptions(ParameterReader p) => new()
    {
        C = p.Double("c", 1.0, "inverse regularisation strength"),
        MaxIter = p.Int("maxIter", 1000, "L-BFGS iterations"),
        Tol = p.Double("tol", 1e-4, "gradient tolerance"),
    };

    protected override void Validate(LogisticRegressionOptions options) => options.Validate();

    protected override IClassicalClassifier Fit(double[][] x, int[] y, LogisticRegressionOptions options) => Models.Classical.LogisticRegression.Fit(x, y, options);
}
