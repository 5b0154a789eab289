using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

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
