using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Log-mel spectrogram in dB: <c>D[i,b] = 10·log10(max(M[i,b], 1e-10))</c>, then <c>max(D, D_max − top_db)</c> where
/// <c>D_max</c> is the maximum over the whole clip (all frames and bands). Matches torchaudio AmplitudeToDB on a
/// whole clip to ≤ 0.05 dB (anchors). Output [frames × n_mels].
/// </summary>
public sealed class LogMelSpectrogram
{
    public LogMelOptions Options { get; }
    public MelSpectrogram Mel { get; }

    public LogMelSpectrogram(LogMelOptions? options = null)
    {
        Options = options ?? new LogMelOptions();
        Options.Validate();
        Mel = new MelSpectrogram(Options.Mel);
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        var m = Mel.Compute(signal);
        PowerToDb.Apply(m.Data, Options.Amin, Options.TopDb);
        return new FeatureMatrix(m.Data, m.Rows, m.Columns, SignalGuard.Names("logmel_", m.Columns), m.FrameTimes, Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.Mel.SampleRate, nameof(LogMelSpectrogram)));
}
