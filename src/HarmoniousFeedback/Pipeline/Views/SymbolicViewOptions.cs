namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Options of the symbolic views (<c>score</c>, <c>performance</c>, <c>score-clip</c>, <c>performance-clip</c>): the
/// segmentation they share with the <c>lld</c> view (so segment k of every view covers the same 3 s of the rendered
/// audio) and whether the transposition-dependent score columns are left out.
/// </summary>
public sealed record SymbolicViewOptions
{
    /// <summary>The segmentation and tail rule of the LLD segments the view is aligned with.</summary>
    public LldSegmentsViewOptions Segments { get; init; } = new();

    /// <summary>
    /// Leave out the 37 score columns that change under transposition (<see cref="Features.Symbolic.SymbolicFeatureExtractor.TranspositionDependentColumns"/>:
    /// absolute pitch-class histogram, key tonic, the 24 key correlations), keeping 61 of 98. Ignored by performance views.
    /// </summary>
    public bool TranspositionInvariant { get; init; }
}
