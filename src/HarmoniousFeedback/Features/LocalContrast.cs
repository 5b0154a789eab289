namespace HarmoniousFeedback.Features;

/// <summary>
/// Where a local measure of <see cref="ScoreInformedComparison"/> found its largest contrast in a performance: the window
/// of notes (or played onsets, or note groups) that differ most from the rest of the recording
/// (<see cref="ScoreInformedComparison.Compare"/>).
/// </summary>
/// <param name="Measure">The measure: a local one of <see cref="ScoreInformedComparison.FeatureNames"/> on the performance
/// (<c>local_silent_max</c>, …, <c>local_lost_max</c>, …; <see cref="ScoreInformedComparison.IsLocalMeasure"/>), or one of
/// the whole-clip measures that also take their value in a window: <c>level_sudden</c>, <c>level_vs_reference_sudden</c>
/// (a sudden loud or soft passage) and <c>local_tempo_max</c> (the group of note onsets whose local tempo departs most
/// from the clip's, rushing or dragging).</param>
/// <param name="Start">The first point of the window in the performance (s).</param>
/// <param name="End">The last point of the window (s), ≥ <paramref name="Start"/>.</param>
/// <param name="Contrast">The measure's value: the window's mean minus the rest's (≥ 0; for <c>local_tempo_max</c> the
/// |ln| of the local over the global tempo).</param>
/// <param name="OnScore">The same measure on the score's own rendering (what the instrument and the score give with no
/// deviation; 0 for the paired measures, which are already differences with the rendering).</param>
public sealed record LocalContrast(string Measure, double Start, double End, double Contrast, double OnScore)
{
    /// <summary>How far the performance's contrast exceeds the rendering's, <see cref="Contrast"/> − <see cref="OnScore"/>.</summary>
    public double Excess => Contrast - OnScore;
}
