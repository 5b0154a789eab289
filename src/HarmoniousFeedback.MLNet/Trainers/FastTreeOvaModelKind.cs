using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.MLNet.Trainers;

/// <summary>Registry entry <c>mlnet-fasttree</c>: ML.NET's FastTree binary trees, one versus all.</summary>
public sealed class FastTreeOvaModelKind : MlNetModelKind<FastTreeOvaTrainerOptions>
{
    public override string Name => "mlnet-fasttree";
    public override string Summary => "ML.NET FastTree boosted trees, one-versus-all (OneVersusAll(FastTree)) on one vector or pooled sequence (docs/mlnet.md)";

    protected override FastTreeOvaTrainerOptions ReadOptions(ParameterReader p) => new()
    {
        NumberOfLeaves = p.Int("numberOfLeaves", 20, "maximum leaves per tree"),
        NumberOfTrees = p.Int("numberOfTrees", 100, "trees per class"),
        MinimumExampleCountPerLeaf = p.Int("minimumExampleCountPerLeaf", 10, "minimum examples in a leaf"),
        LearningRate = p.Double("learningRate", 0.2, "shrinkage"),
    };
}
