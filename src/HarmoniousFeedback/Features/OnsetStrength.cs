namespace HarmoniousFeedback.Features;

/// <summary>
/// Onset strength as librosa.onset.onset_strength: on the dB log-mel D (clip-level top_db; see
/// <see cref="LogMelSpectrogram"/>), <c>o[t] = mean_b max(0, D[t,b] − D[t−lag,b])</c>, shifted right by
/// <c>lag + n_fft/(2·hop)</c> frames (integer division) when frames are centred, zero-filled at the start and trimmed
/// to the frame count. Use <see cref="MelSpectrogramOptions.Librosa"/> in the options for librosa's own mel settings.
/// Output [frames × 1].
/// </summary>
public static class OnsetStrength
{
    public static FeatureMatrix Compute(ReadOnlySpan<float> signal, LogMelOptions? options = null, int lag = 1)
    {
        var o = options ?? new LogMelOptions();
        var v = new OptionsValidator(nameof(OnsetStrength));
        v.InRange(nameof(lag), lag, 1, 1000);
        v.ThrowFeatureIfAny();
        var d = new LogMelSpectrogram(o).Compute(signal);
        int f = d.Rows, nb = d.Columns;
        int pad = lag + (o.Mel.Center ? o.Mel.NFft / (2 * o.Mel.HopLength) : 0);
        var env = new float[f];
        for (int t = lag; t < f; t++)
        {
            double acc = 0;
            for (int b = 0; b < nb; b++) { double x = d[t, b] - d[t - lag, b]; if (x > 0) acc += x; }
            int dst = t - lag + pad;
            if (dst < f) env[dst] = (float)(acc / nb);
        }
        return new FeatureMatrix(env, f, 1, ["onset_strength"], d.FrameTimes, o);
    }
}
