namespace HarmoniousFeedback.MLNet;

/// <summary>
/// Names of the annotations the bridge writes on ML.NET columns (besides ML.NET's own <c>SlotNames</c> and
/// <c>KeyValues</c>), so that a <c>DataTable</c> → <c>IDataView</c> → <c>DataTable</c> round trip keeps what the
/// toolkit knows about a column. ML.NET ignores annotations it does not know and saves them with a model's input schema.
/// </summary>
public static class MlNetAnnotations
{
    /// <summary>
    /// On a sequence column (<c>Vector&lt;Single&gt;</c> with dimensions <c>[0, F]</c>): the F feature names, a
    /// <c>Vector&lt;Text&gt;</c> of size F (ML.NET's <c>SlotNames</c> cannot be used: it needs a known vector size,
    /// and a sequence's size varies from row to row).
    /// </summary>
    public const string FeatureNames = "HarmoniousFeedback.FeatureNames";

    /// <summary>
    /// On the companion column <c>&lt;name&gt;.FrameTimes</c> (<c>Vector&lt;Double&gt;</c>, variable size): the name of the
    /// sequence column whose frame times (s) it holds, one per frame.
    /// </summary>
    public const string FrameTimesOf = "HarmoniousFeedback.FrameTimesOf";

    /// <summary>ML.NET's annotation kind for the names of a known-size vector's slots.</summary>
    public const string SlotNamesKind = "SlotNames";

    /// <summary>ML.NET's annotation kind for the values of a key column (key k ↔ value k − 1).</summary>
    public const string KeyValuesKind = "KeyValues";

    /// <summary>Suffix of the companion frame-times column of a sequence column.</summary>
    public const string FrameTimesSuffix = ".FrameTimes";
}
