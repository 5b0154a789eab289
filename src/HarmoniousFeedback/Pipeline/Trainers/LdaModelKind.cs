using System.Text.Json;
using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>Registry entry <c>lda</c>: linear discriminant analysis (<see cref="LinearDiscriminantAnalysis"/>, scikit-learn's names) — the paper's "LDA" row.</summary>
public sealed class LdaModelKind : ClassicalModelKind<LdaOptions>
{
    public override string Name => "lda";
    public override string Summary => "linear discriminant analysis (sklearn LinearDiscriminantAnalysis) on standardised features (docs/baselines.md)";

    protected override LdaOptions ReadOptions(ParameterReader p) => new()
    {
        Solver = p.Enum("solver", LdaSolver.Svd, "solver"),
        Shrinkage = p.Custom("shrinkage", (LdaShrinkage?)null, "null, string or number", "null", "null, \"auto\" or a number in [0, 1]", "covariance shrinkage (lsqr/eigen only)", ParseShrinkage),
        Tol = p.Double("tol", 1e-4, "rank threshold of the svd solver"),
    };

    private static bool ParseShrinkage(JsonElement e, out LdaShrinkage? shrinkage)
    {
        shrinkage = e.ValueKind switch
        {
            JsonValueKind.Number => LdaShrinkage.Of(e.GetDouble()),
            JsonValueKind.String => LdaShrinkage.TryParse(e.GetString()!),
            _ => null,
        };
        return e.ValueKind == JsonValueKind.Null || shrinkage is not null;
    }

    protected override void Validate(LdaOptions options) => options.Validate();

    protected override IClassicalClassifier Fit(double[][] x, int[] y, LdaOptions options) => LinearDiscriminantAnalysis.Fit(x, y, options);
}
