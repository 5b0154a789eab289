using System.Text.Json;
using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>Registry entry <c>svm</c>: C-SVC by SMO, one-vs-one (<see cref="SvmClassifier"/>, scikit-learn's <c>SVC</c> names and defaults).</summary>
public sealed class SvmModelKind : ClassicalModelKind<SvmOptions>
{
    public override string Name => "svm";
    public override string Summary => "C-support-vector classifier (libsvm SMO, one-vs-one; sklearn.svm.SVC) on standardised features (docs/baselines.md)";

    protected override SvmOptions ReadOptions(ParameterReader p) => new()
    {
        Kernel = p.Enum("kernel", SvmKernel.Rbf, "kernel function"),
        C = p.Double("c", 1.0, "penalty C of the slack"),
        Gamma = p.Custom("gamma", SvmGamma.Scale, "string or number", "scale", "\"scale\", \"auto\" or a number > 0", "γ of the rbf/poly/sigmoid kernels", ParseGamma),
        Degree = p.Int("degree", 3, "degree of the polynomial kernel"),
        Coef0 = p.Double("coef0", 0, "independent term of the poly/sigmoid kernels"),
        Tol = p.Double("tol", 1e-3, "SMO stopping tolerance"),
        MaxIter = p.Int("maxIter", -1, "SMO iterations per pair (-1 = libsvm's limit)"),
        Probability = p.Bool("probability", false, "fit libsvm's Platt probability model (scores become probabilities)"),
    };

    private static bool ParseGamma(JsonElement e, out SvmGamma gamma)
    {
        gamma = SvmGamma.Scale;
        if (e.ValueKind == JsonValueKind.Number) { gamma = SvmGamma.Of(e.GetDouble()); return true; }
        if (e.ValueKind == JsonValueKind.String && SvmGamma.TryParse(e.GetString()!) is { Mode: not SvmGammaMode.Value } g) { gamma = g; return true; }
        return false;
    }

    protected override void Validate(SvmOptions options) => options.Validate();

    protected override IClassicalClassifier Fit(double[][] x, int[] y, SvmOptions options) => SvmClassifier.Fit(x, y, options);
}
