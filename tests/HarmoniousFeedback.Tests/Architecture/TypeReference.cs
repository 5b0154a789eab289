namespace HarmoniousFeedback.Tests.Architecture;

/// <summary>One use of a type by another type of the same assembly, as compiled.</summary>
/// <param name="From">Full name of the using type (nested types as <c>Outer+Inner</c>).</param>
/// <param name="FromNamespace">Namespace of the using type (of its outermost declaring type).</param>
/// <param name="Member">Where the use is: <c>base type</c>, <c>interface</c>, <c>attribute</c>, <c>field X</c>,
/// <c>method X (signature)</c>, <c>method X (locals)</c>, <c>method X (body)</c>, …</param>
/// <param name="To">Full name of the used type.</param>
/// <param name="ToNamespace">Namespace of the used type.</param>
public sealed record TypeReference(string From, string FromNamespace, string Member, string To, string ToNamespace);
