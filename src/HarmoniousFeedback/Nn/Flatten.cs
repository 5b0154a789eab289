namespace HarmoniousFeedback.Nn;

/// <summary>Flattens all dims from <c>startDim</c> (default 1, keeping the batch).</summary>
public sealed class Flatten(int startDim = 1) : UnaryModule { public override Tensor Forward(Tensor x) => x.Flatten(startDim); }
