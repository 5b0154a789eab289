using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Mel spectrogram, as <c>torchaudio.transforms.MelSpectrogram</c>: <c>M[i,b] = Σ_k S[i,k]·H[k,b]</c> with S from
/// <see cref="Spectrogram"/> and H from <see cref="MelFilterbank"/>. Output [frames × n_mels], lowest band first. Thread-safe.
/// </summary>
public sealed class MelSpectrogram
{
    public MelSpectrogramOptions Options { get; }
    public Spectrogram Stft { get; }
    public MelFilterbank Filterbank { get; }
    private readonly ThreadLocal<float[]> _spec;

    public MelSpectrogram(MelSpectrogramOptions? options = null)
    {
        Options = options ?? new MelSpectrogramOptions();
        Options.Validate();
        Stft = new Spectrogram(Options.ToSpectrogramOptions());
        Filterbank = new MelFilterbank(Options.NFft, Options.SampleRate, Options.NMels, Options.FMin, Options.EffectiveFMax, Options.MelScale, Options.MelNorm);
        int bins = Stft.Bins;
        _spec = new ThreadLocal<float[]>(() => new float[bins]);
    }

    /// <summary>One frame of n_fft raw samples → n_mels band powers.</summary>
    public void ProcessFrame(ReadOnlySpan<float> frame, Span<float> output)
    {
        var spec = _spec.Value!;
        Stft.ProcessFrame(frame, spec);
        Filterbank.Apply(spec, output);
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var fs = new FramedSignal(signal, Options.NFft, Options.HopLength, Options.Center, Options.PadMode);
        int nm = Options.NMels;
        var data = new float[fs.Frames * nm];
        FeatureParallelism.For(fs.Frames, (a, b) => { for (int i = a; i < b; i++) ProcessFrame(fs.Frame(i), data.AsSpan(i * nm, nm)); });
        return new FeatureMatrix(data, fs.Frames, nm, SignalGuard.Names("mel_", nm),
            SignalGuard.Times(fs.Frames, Options.HopLength, Options.NFft, Options.Center, Options.SampleRate), Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(MelSpectrogram)));
}
