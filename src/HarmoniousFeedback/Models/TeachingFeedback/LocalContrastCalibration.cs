namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// How one local measure of the note comparison behaves on a training corpus (<see cref="NoteIssueLocator.Calibrate"/>):
/// the distribution of its excess over the score's rendering on clean renditions, and how often its firings above the
/// 98th percentile were over a planted deviation of its dimension.
/// </summary>
/// <param name="Median">Median excess on clean renditions.</param>
/// <param name="Q98">98th percentile on clean renditions (≥ <paramref name="Median"/>): above it, a window is evidence.</param>
/// <param name="Precision">Share of the windows above <paramref name="Q98"/> on renditions with a planted deviation that overlap one of the measure's dimension, in [0, 1].</param>
/// <param name="Firings">How many such windows there were.</param>
public sealed record LocalContrastCalibration(double Median, double Q98, double Precision, int Firings)
{
    /// <summary>Used as evidence on its own: <see cref="Precision"/> ≥ <paramref name="minPrecision"/> over at least <see cref="NoteIssueLocator.MinFirings"/> firings.</summary>
    public bool IsReliable(double minPrecision) => Precision >= minPrecision && Firings >= NoteIssueLocator.MinFirings;

    /// <summary>(e − <see cref="Median"/>) / max(1e-6, <see cref="Q98"/> − <see cref="Median"/>): how unusual excess e is for a clean rendition (1 at the 98th percentile).</summary>
    public double Z(double excess) => (excess - Median) / Math.Max(1e-6, Q98 - Median);

    internal bool IsValid => double.IsFinite(Median) && double.IsFinite(Q98) && Median <= Q98
                             && Precision is >= 0 and <= 1 && Firings >= 0;

    internal double[] ToArray() => [Median, Q98, Precision, Firings];

    internal static LocalContrastCalibration FromArray(double[] v) =>
        new(v[0], v[1], v[2], double.IsFinite(v[3]) && v[3] >= 0 && v[3] <= int.MaxValue ? (int)v[3] : -1);
}
