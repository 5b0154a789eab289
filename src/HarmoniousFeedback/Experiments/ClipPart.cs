namespace HarmoniousFeedback.Experiments;

/// <summary>Rows [<paramref name="Start"/>, <paramref name="Start"/> + <paramref name="Count"/>) of a <see cref="ClipIndex"/> come from dataset <paramref name="Name"/>.</summary>
public sealed record ClipPart(string Name, int Start, int Count);
