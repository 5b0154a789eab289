using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.Cli.Tests.ToyModel;

/// <summary>
/// A model added the way docs/architecture.md's recipe says — this one file plus one registration line
/// (<c>ModelRegistry.Default.Register(new NearestCentroidModelKind())</c>): a nearest-centroid classifier on standardised,
/// pooled features (scikit-learn's <c>NearestCentroid</c>). It proves a new kind runs through specs, <c>hfb reproduce</c>,
/// <c>hfb baseline</c> and the model file without editing anything else.
/// </summary>
public sealed class NearestCentroidModelKind : ClassicalModelKind<NearestCentroidOptions>
{
    public override string Name => "toy-centroid";
    public override string Summary => "nearest class centroid (sklearn NearestCentroid), a test model";

    protected override NearestCentroidOptions ReadOptions(ParameterReader p) => new() { Metric = p.Enum("metric", CentroidMetric.Euclidean, "distance to the centroids") };

    protected override void Validate(NearestCentroidOptions options) { }

    protected override IClassicalClassifier Fit(double[][] x, int[] y, NearestCentroidOptions options) => NearestCentroid.Fit(x, y, options.Metric);
}
