namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// One feature view handed to a model: the view's registry name (<c>lld</c>, <c>mfcc</c>, <c>logmel</c>, …), the table
/// column that holds it for every clip, and that column's type (<c>Sequence&lt;float&gt;[*, 50]</c>, <c>Vector&lt;float&gt;[40]</c>, …).
/// A multi-input model receives several, aligned row by row (the same clips in the same order).
/// </summary>
public sealed record ModelInput(string View, string Column, ColumnType Type);
