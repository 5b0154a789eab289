using System.Numerics.Tensors;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Short-time Fourier power (or magnitude) spectrogram, as <c>torchaudio.transforms.Spectrogram</c>
/// (matches the DSP anchors' float64 torchaudio 0.13 references to ≤ 1e-4 relative L2 per frame):
/// <c>S[i,k] = |Σ_{m=0}^{n_fft−1} wpad[m]·xp[i·hop + m]·e^{−2πikm/n_fft}|^power</c>, <c>k = 0..n_fft/2</c>, where
/// <c>xp</c> is the signal padded by n_fft/2 (reflect by default) when <c>Center</c>, and <c>wpad</c> is the
/// <c>WinLength</c>-sample window centred in n_fft. Unnormalised, one-sided, no doubling. Output [frames × (n_fft/2+1)],
/// frame times <c>i·hop/sr</c> (s). Thread-safe.
/// </summary>
public sealed class Spectrogram
{
    public SpectrogramOptions Options { get; }
    /// <summary>n_fft/2 + 1.</summary>
    public int Bins { get; }
    private readonly float[] _window;
    private readonly ThreadLocal<Scratch> _scratch;

    private sealed class Scratch(int n)
    {
        public readonly RealFft Fft = new(n);
        public readonly float[] Buf = new float[n];
        public readonly float[] Re = new float[n / 2 + 1], Im = new float[n / 2 + 1];
    }

    public Spectrogram(SpectrogramOptions? options = null)
    {
        Options = options ?? new SpectrogramOptions();
        Options.Validate();
        Bins = Options.NFft / 2 + 1;
        _window = Windows.PadCenter(Windows.Create(Options.Window, Options.EffectiveWinLength, Options.PeriodicWindow), Options.NFft);
        int n = Options.NFft;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(n));
    }

    /// <summary>The length-n_fft analysis window (the WinLength window centred with zeros).</summary>
    public ReadOnlySpan<float> Window => _window;

    /// <summary>One frame: <paramref name="frame"/> holds n_fft raw samples; <paramref name="output"/> receives n_fft/2+1 values. Allocation-free after the first call on a thread.</summary>
    public void ProcessFrame(ReadOnlySpan<float> frame, Span<float> output)
    {
        if (frame.Length != Options.NFft) throw new ShapeMismatchException($"frame has {frame.Length} samples, NFft = {Options.NFft}");
        if (output.Length < Bins) throw new ShapeMismatchException($"output has {output.Length} values, needs {Bins}");
        var s = _scratch.Value!;
        TensorPrimitives.Multiply(frame, _window, s.Buf);
        s.Fft.Power(s.Buf, output);
        if (Options.Power == 1.0) TensorPrimitives.Sqrt(output[..Bins], output);
    }

    /// <summary>Scalar reference of <see cref="ProcessFrame"/>: scalar window product and the scalar FFT path.</summary>
    public void ProcessFrameScalar(ReadOnlySpan<float> frame, Span<float> output)
    {
        var s = new Scratch(Options.NFft);
        for (int m = 0; m < frame.Length; m++) s.Buf[m] = frame[m] * _window[m];
        s.Fft.ForwardScalar(s.Buf, s.Re, s.Im);
        for (int k = 0; k < Bins; k++)
        {
            float p = s.Re[k] * s.Re[k] + s.Im[k] * s.Im[k];
            output[k] = Options.Power == 1.0 ? MathF.Sqrt(p) : p;
        }
    }

    /// <summary>Spectrogram of a mono signal at <see cref="SpectrogramOptions.SampleRate"/>. Frames are computed in parallel for long signals.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var fs = new FramedSignal(signal, Options.NFft, Options.HopLength, Options.Center, Options.PadMode);
        var data = new float[fs.Frames * Bins];
        int bins = Bins;
        FeatureParallelism.For(fs.Frames, (a, b) => { for (int i = a; i < b; i++) ProcessFrame(fs.Frame(i), data.AsSpan(i * bins, bins)); });
        return new FeatureMatrix(data, fs.Frames, bins, SignalGuard.Names("bin_", bins),
            SignalGuard.Times(fs.Frames, Options.HopLength, Options.NFft, Options.Center, Options.SampleRate), Options);
    }

    /// <summary>Spectrogram of a clip (downmixed to mono); its rate must equal <see cref="SpectrogramOptions.SampleRate"/>.</summary>
    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(Spectrogram)));
}

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

/// <summary>Power → decibel conversion with a clip-level dynamic-range clamp (<c>librosa.power_to_db(ref=1)</c>, torchaudio <c>AmplitudeToDB('power')</c>).</summary>
public static class PowerToDb
{
    /// <summary>In place: <c>D = 10·log10(max(P, amin))</c>. Returns the maximum of D.</summary>
    public static float Convert(Span<float> values, double amin = 1e-10)
    {
        float a = (float)amin;
        TensorPrimitives.Max(values, a, values);
        TensorPrimitives.Log10(values, values);
        TensorPrimitives.Multiply(values, 10f, values);
        return values.Length == 0 ? float.NegativeInfinity : TensorPrimitives.Max(values);
    }

    /// <summary>In place: <c>D = max(D, dmax − topDb)</c>.</summary>
    public static void Clamp(Span<float> values, float dmax, double topDb)
        => TensorPrimitives.Max(values, (float)(dmax - topDb), values);

    /// <summary>Both steps over a whole clip: one maximum for all frames and bands.</summary>
    public static void Apply(Span<float> values, double amin, double? topDb)
    {
        float dmax = Convert(values, amin);
        if (topDb is double t && values.Length > 0) Clamp(values, dmax, t);
    }
}

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

/// <summary>
/// MFCC as <c>torchaudio.transforms.MFCC(dct_type=2, norm='ortho', log_mels=False)</c>:
/// <c>C[i,q] = Σ_b D[i,b]·a_q·cos(πq(b+0.5)/n_mels)</c> with the clip-level clamped dB log-mel D
/// (see <see cref="LogMelSpectrogram"/>), <c>a_0 = √(1/n_mels)</c>, <c>a_q = √(2/n_mels)</c>; no liftering.
/// Matches the anchors' torchaudio references to ≤ 0.1 (dB units). Output [frames × n_mfcc], c0 first. Thread-safe.
/// </summary>
public sealed class Mfcc
{
    public MfccOptions Options { get; }
    public MelSpectrogram Mel { get; }
    public Dct Dct { get; }
    private readonly ThreadLocal<float[]> _mel;

    public Mfcc(MfccOptions? options = null)
    {
        Options = options ?? new MfccOptions();
        Options.Validate();
        Mel = new MelSpectrogram(Options.Mel);
        Dct = new Dct(Options.Mel.NMels, Options.NMfcc, Options.OrthonormalDct);
        int nm = Options.Mel.NMels;
        _mel = new ThreadLocal<float[]>(() => new float[nm]);
    }

    /// <summary>
    /// One frame of n_fft raw samples → n_mfcc coefficients. The top_db clamp needs the clip maximum: pass it as
    /// <paramref name="clipMaxDb"/> (null = no clamp, i.e. per-frame values as if TopDb were null).
    /// </summary>
    public void ProcessFrame(ReadOnlySpan<float> frame, Span<float> output, float? clipMaxDb = null)
    {
        var mel = _mel.Value!;
        Mel.ProcessFrame(frame, mel);
        PowerToDb.Convert(mel, Options.Amin);
        if (clipMaxDb is float mx && Options.TopDb is double t) PowerToDb.Clamp(mel, mx, t);
        Dct.Apply(mel, output);
    }

    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        var m = Mel.Compute(signal);
        PowerToDb.Apply(m.Data, Options.Amin, Options.TopDb);
        return FromLogMel(m);
    }

    /// <summary>MFCCs from an already clamped dB log-mel matrix [frames × n_mels].</summary>
    public FeatureMatrix FromLogMel(FeatureMatrix logMel)
    {
        int nm = Options.Mel.NMels, nc = Options.NMfcc;
        if (logMel.Columns != nm) throw new ShapeMismatchException($"log-mel has {logMel.Columns} bands but the MFCC DCT expects NMels = {nm}");
        var outp = new float[logMel.Rows * nc];
        FeatureParallelism.For(logMel.Rows, (a, b) => { for (int i = a; i < b; i++) Dct.Apply(logMel.Data.AsSpan(i * nm, nm), outp.AsSpan(i * nc, nc)); });
        return new FeatureMatrix(outp, logMel.Rows, nc, SignalGuard.Names("mfcc_", nc), logMel.FrameTimes, Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.Mel.SampleRate, nameof(Mfcc)));
}
