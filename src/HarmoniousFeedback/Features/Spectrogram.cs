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
    private readonly Lazy<BatchedSpectrogram> _batched;

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
        _batched = new Lazy<BatchedSpectrogram>(() => new BatchedSpectrogram(Options));
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

    /// <summary>
    /// Spectrogram of a mono signal at <see cref="SpectrogramOptions.SampleRate"/>. Frames are computed 8 at a time
    /// (<see cref="BatchedSpectrogram"/>, bit-identical to <see cref="ProcessFrame"/> frame by frame, which it falls back
    /// to where the batch does not apply), blocks of frames in parallel for long signals, the padded signal in pooled scratch.
    /// </summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var fs = FramedSignal.Rent(signal, Options.NFft, Options.HopLength, Options.Center, Options.PadMode);
        int bins = Bins, hop = Options.HopLength, frames = fs.Frames;
        var data = new float[frames * bins];
        var batched = _batched.Value;
        try
        {
            FeatureParallelism.For(frames, (a, b) =>
            {
                Span<int> starts = stackalloc int[RealFftBatch.Lanes];
                for (int f0 = a; f0 < b; f0 += starts.Length)
                {
                    int k = Math.Min(starts.Length, b - f0);
                    for (int l = 0; l < k; l++) starts[l] = (f0 + l) * hop;
                    batched.Frames(fs.Padded, starts[..k], data.AsSpan(f0 * bins, k * bins));
                }
            });
        }
        finally
        {
            fs.Return();
        }
        return new FeatureMatrix(data, frames, bins, SignalGuard.Names("bin_", bins),
            SignalGuard.Times(frames, hop, Options.NFft, Options.Center, Options.SampleRate), Options);
    }

    /// <summary>Spectrogram of a clip (downmixed to mono); its rate must equal <see cref="SpectrogramOptions.SampleRate"/>.</summary>
    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.SampleRate, nameof(Spectrogram)));
}
