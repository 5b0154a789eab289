namespace HarmoniousFeedback.Features;

/// <summary>
/// <see cref="ReferenceAlignment.Contrast(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/>'s answer: the mean DTW path cost of a performance against its score rendered
/// (<see cref="Costs"/>[0]) and against the score transposed by k = 1 … 11 semitones, and the contrast
/// 1 − c_0 / median_{k ≥ 1} c_k.
/// </summary>
public sealed class TranspositionContrast
{
    /// <param name="costs">c_0 … c_11 (12 values).</param>
    /// <exception cref="ArgumentException">Not 12 costs.</exception>
    public TranspositionContrast(IReadOnlyList<double> costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (costs.Count != 12) throw new ArgumentException($"{nameof(TranspositionContrast)}: {costs.Count} costs given; one per transposition k = 0 … 11 is needed", nameof(costs));
        Costs = [.. costs];
        var others = Costs.Skip(1).Order().ToArray();
        TransposedMedian = others[others.Length / 2];          // 11 values: the 6th smallest
        Contrast = TransposedMedian > 0 ? 1 - Costs[0] / TransposedMedian : 0;
    }

    /// <summary>c_k, k = 0 … 11 (mean cost per path cell; chroma cosine costs lie in [0, 1], CRP's in [0, 2]).</summary>
    public IReadOnlyList<double> Costs { get; }

    /// <summary>c_0: the cost against the score as written.</summary>
    public double Cost => Costs[0];

    /// <summary>median_{k = 1 … 11} c_k.</summary>
    public double TransposedMedian { get; }

    /// <summary>1 − c_0 / <see cref="TransposedMedian"/> (0 when every transposition costs 0).</summary>
    public double Contrast { get; }
}
