namespace HarmoniousFeedback.Features;

/// <summary>
/// Semitone bands over the bins of an n_fft-point STFT: pitch p (MIDI number, f_p = 440·2^((p − 69 − tuning)/12)) gets
/// w(p, k) = exp(−½ (2·(m_k − p)/max(1, Δm_k))²), m_k the MIDI pitch of bin k ≥ 1 and Δm_k its width in semitones —
/// librosa's chroma spreading without the folding to one octave. Weights below 10⁻⁴ are dropped, so each pitch is a
/// contiguous band of bins. Shared by <see cref="CrpChroma"/> and <see cref="PitchSpectrogram"/>.
/// </summary>
internal static class PitchFilterbank
{
    /// <summary>Per pitch 0 … pitches − 1: its first bin, its band length, the offset of its weights in the concatenated weights.</summary>
    public static (int[] Start, int[] Length, int[] Offset, float[] Weights) Create(int nFft, int sr, double tuning, int pitches)
    {
        int bins = nFft / 2 + 1;
        var m = new double[bins];
        for (int k = 1; k < bins; k++) m[k] = 69 + tuning + 12 * Math.Log2((double)k * sr / nFft / 440.0);
        var width = new double[bins];
        for (int k = 1; k < bins - 1; k++) width[k] = Math.Max(m[k + 1] - m[k], 1.0);
        width[bins - 1] = 1;
        int[] start = new int[pitches], length = new int[pitches], offset = new int[pitches];
        var weights = new List<float>();
        for (int p = 0; p < pitches; p++)
        {
            offset[p] = weights.Count;
            start[p] = -1;
            for (int k = 1; k < bins; k++)
            {
                double z = 2 * (m[k] - p) / width[k];
                double w = Math.Exp(-0.5 * z * z);
                if (w < 1e-4) { if (start[p] >= 0) break; continue; }
                if (start[p] < 0) start[p] = k;
                weights.Add((float)w);
            }
            if (start[p] < 0) start[p] = 0;
            length[p] = weights.Count - offset[p];
        }
        return (start, length, offset, weights.ToArray());
    }
}
