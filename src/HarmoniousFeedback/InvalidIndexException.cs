namespace HarmoniousFeedback;

/// <summary>
/// An index lies outside the range it must be in: a tensor element, a row of a pipeline column, a class target of a
/// loss, a row gathered by an embedding. The message names the index, its value and the valid range.
/// </summary>
public sealed class InvalidIndexException : HarmoniousFeedbackException
{
    /// <summary>What was indexed, e.g. <c>row</c>, <c>cross_entropy target</c>.</summary>
    public string IndexName { get; }

    /// <summary>The offending value.</summary>
    public long Value { get; }

    public InvalidIndexException(string indexName, long value, string allowed)
        : base($"{indexName} {value} is outside {allowed}")
    {
        IndexName = indexName;
        Value = value;
    }
}
