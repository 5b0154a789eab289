namespace HarmoniousFeedback.Features.Symbolic;

/// <summary>
/// Two consonance measures of a sonority.
/// <para><b>Huron (1994)</b>, "Interval-class content in equally tempered pitch-class sets: common scales exhibit optimum
/// tonal consonance", Music Perception 11(3): the aggregate dyadic consonance of a pitch-class set is
/// <c>Σ_ic n_ic · w_ic</c> over the interval-class vector n (ic 1…6) with weights w = (−1.428, −0.582, 0.594, 0.386, 1.240, −0.453)
/// (the values of the <c>incon</c> R package's <c>huron_1994</c>). <see cref="HuronPerDyad"/> divides by the number of dyads
/// C(|S|, 2) so that chord size (a separate feature) does not dominate.</para>
/// <para><b>Sethares (1993/2005)</b> Plomp–Levelt roughness: two partials (f₁ ≤ f₂, amplitudes a₁, a₂) contribute
/// <c>min(a₁,a₂)·(e^(−b₁·s·Δf) − e^(−b₂·s·Δf))</c> with <c>s = d*/(s₁·f₁ + s₂)</c>, b₁ = 3.5, b₂ = 5.75, d* = 0.24,
/// s₁ = 0.0207, s₂ = 18.96 (Sethares, <i>Tuning, Timbre, Spectrum, Scale</i>, 2nd ed., appendix E). Each MIDI pitch p is a
/// harmonic tone of 6 partials k·f0 (f0 = 440·2^((p−69)/12)) with amplitudes 0.88^(k−1); the roughness of two pitches is the sum over
/// all partial pairs (tabulated for all 128×128 pitch pairs), and <see cref="RoughnessPerPair"/> of a set of pitches is
/// the mean over its pitch pairs.</para>
/// </summary>
public static class Consonance
{
    /// <summary>Huron's (1994) consonance weights of interval classes 1 … 6.</summary>
    public static IReadOnlyList<double> HuronWeights { get; } = [-1.428, -0.582, 0.594, 0.386, 1.240, -0.453];

    private static readonly double[] HuronByMask = BuildHuron();
    private static readonly Lazy<float[]> RoughnessTable = new(BuildRoughness);

    /// <summary>Aggregate dyadic consonance / number of dyads of pitch-class mask <paramref name="mask"/>; 0 for fewer than 2 pitch classes.</summary>
    public static double HuronPerDyad(int mask)
    {
        if ((uint)mask > 0xFFF) throw new ShapeMismatchException($"pitch-class mask 0x{mask:X} has bits above bit 11 (12 pitch classes)");
        return HuronByMask[mask];
    }

    /// <summary>Sethares roughness of two MIDI pitches (0–127), each a 6-partial harmonic tone (see the type's remarks).</summary>
    public static double Roughness(int pitchA, int pitchB)
    {
        if ((uint)pitchA > 127 || (uint)pitchB > 127) throw new ShapeMismatchException($"MIDI pitches {pitchA}, {pitchB} must be in [0, 127]");
        return RoughnessTable.Value[pitchA * 128 + pitchB];
    }

    /// <summary>Mean <see cref="Roughness"/> over the pairs of distinct pitches in <paramref name="pitches"/> (duplicates ignored); 0 for fewer than 2.</summary>
    public static double RoughnessPerPair(ReadOnlySpan<int> pitches)
    {
        var table = RoughnessTable.Value;
        double sum = 0; int pairs = 0;
        for (int i = 0; i < pitches.Length; i++)
        {
            if ((uint)pitches[i] > 127) throw new ShapeMismatchException($"MIDI pitch {pitches[i]} must be in [0, 127]");
            bool dup = false;
            for (int k = 0; k < i; k++) if (pitches[k] == pitches[i]) { dup = true; break; }
            if (dup) continue;
            for (int j = 0; j < i; j++)
            {
                bool dupJ = false;
                for (int k = 0; k < j; k++) if (pitches[k] == pitches[j]) { dupJ = true; break; }
                if (dupJ) continue;
                sum += table[pitches[i] * 128 + pitches[j]]; pairs++;
            }
        }
        return pairs == 0 ? 0 : sum / pairs;
    }

    /// <summary>Sethares' dissonance of two sinusoids (f in Hz, amplitudes a), the building block of <see cref="Roughness"/>.</summary>
    public static double PartialDissonance(double f1, double a1, double f2, double a2)
    {
        const double b1 = 3.5, b2 = 5.75, dStar = 0.24, s1 = 0.0207, s2 = 18.96;
        double fmin = Math.Min(f1, f2), df = Math.Abs(f2 - f1), s = dStar / (s1 * fmin + s2);
        return Math.Min(a1, a2) * (Math.Exp(-b1 * s * df) - Math.Exp(-b2 * s * df));
    }

    private static double[] BuildHuron()
    {
        var t = new double[4096];
        for (int mask = 0; mask < 4096; mask++)
        {
            double sum = 0; int dyads = 0;
            for (int a = 0; a < 12; a++)
            {
                if ((mask >> a & 1) == 0) continue;
                for (int b = a + 1; b < 12; b++)
                {
                    if ((mask >> b & 1) == 0) continue;
                    int ic = Math.Min(b - a, 12 - (b - a));
                    sum += HuronWeights[ic - 1]; dyads++;
                }
            }
            t[mask] = dyads == 0 ? 0 : sum / dyads;
        }
        return t;
    }

    private static float[] BuildRoughness()
    {
        const int partials = 6;
        var t = new float[128 * 128];
        for (int p = 0; p < 128; p++)
            for (int q = 0; q <= p; q++)
            {
                double fp = 440 * Math.Pow(2, (p - 69) / 12.0), fq = 440 * Math.Pow(2, (q - 69) / 12.0), sum = 0;
                for (int i = 1; i <= partials; i++)
                    for (int j = 1; j <= partials; j++)
                        sum += PartialDissonance(i * fp, Math.Pow(0.88, i - 1), j * fq, Math.Pow(0.88, j - 1));
                t[p * 128 + q] = t[q * 128 + p] = (float)sum;
            }
        return t;
    }
}
