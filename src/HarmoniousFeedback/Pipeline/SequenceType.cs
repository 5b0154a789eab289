namespace HarmoniousFeedback.Pipeline;

public sealed record SequenceType(int FeatureSize) : ColumnType
{
    public override Type ClrType => typeof(Features.FeatureMatrix);
    public override bool Accepts(ColumnType actual) => actual is SequenceType s && (FeatureSize <= 0 || s.FeatureSize == FeatureSize);
    public override string ToString() => $"Sequence<float>[*, {(FeatureSize > 0 ? FeatureSize.ToString() : "*")}]";
}
