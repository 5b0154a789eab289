namespace HarmoniousFeedback.Models.Multimodal;

/// <summary>One input of a multimodal network: its name (the feature view, e.g. <c>lld</c>, <c>score</c>), whether it is a segment sequence [T × F] or a clip vector [F], and F.</summary>
public sealed record ModalitySpec(string Name, bool IsSequence, int Features);
