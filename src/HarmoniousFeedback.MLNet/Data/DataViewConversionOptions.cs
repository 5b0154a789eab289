namespace HarmoniousFeedback.MLNet.Data;

/// <summary>Options of the <c>DataTable</c> ⇄ <c>IDataView</c> conversion (<see cref="DataTableConversion"/>).</summary>
public sealed record DataViewConversionOptions
{
    /// <summary>
    /// String columns of the table to expose as ML.NET key columns (<c>Key&lt;UInt32&gt;</c> with a <c>KeyValues</c>
    /// annotation) instead of text, e.g. the label for a trainer. Key values are the distinct strings in ordinal order
    /// (the order the toolkit's trainers number classes in); a null string becomes the missing key 0. Default: none.
    /// </summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    /// <summary>
    /// Add a <c>&lt;name&gt;.FrameTimes</c> column (<c>Vector&lt;Double&gt;</c>, one time in seconds per frame) beside
    /// every sequence column, so that converting back restores <c>FeatureMatrix.FrameTimes</c>. Without it the frame
    /// times come back as NaN (unknown). Default true.
    /// </summary>
    public bool IncludeFrameTimes { get; init; } = true;

    /// <summary>Checks every option and throws one <see cref="OptionsValidationException"/> listing all problems.</summary>
    public void Validate()
    {
        var v = new OptionsValidator(nameof(DataViewConversionOptions));
        v.Check(KeyColumns is not null, $"{nameof(KeyColumns)} must not be null (use an empty list)");
        if (KeyColumns is not null)
        {
            foreach (var dup in KeyColumns.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
                v.Check(false, $"{nameof(KeyColumns)} names '{dup.Key}' {dup.Count()} times; each column at most once");
            v.Check(KeyColumns.All(c => !string.IsNullOrEmpty(c)), $"{nameof(KeyColumns)} contains an empty name");
        }
        v.ThrowIfAny();
    }
}
