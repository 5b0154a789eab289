namespace HarmoniousFeedback.Models.Classical;

internal static class Softmax
{
    /// <summary>s ← exp(s − max s) / Σ exp(s − max s).</summary>
    public static void InPlace(Span<double> s)
    {
        double max = double.NegativeInfinity;
        foreach (var v in s) max = Math.Max(max, v);
        double sum = 0;
        for (int c = 0; c < s.Length; c++) { s[c] = Math.Exp(s[c] - max); sum += s[c]; }
        for (int c = 0; c < s.Length; c++) s[c] /= sum;
    }
}
