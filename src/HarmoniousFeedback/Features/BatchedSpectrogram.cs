using System.Diagnostics;
using System.Runtime.Intrinsics;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// The frames of a <see cref="Spectrogram"/> computed 8 at a time (<see cref="RealFftBatch"/>), bit-identical to
/// <see cref="Spectrogram.ProcessFrame"/> frame by frame; falls back to <see cref="Spectrogram.ProcessFrame"/> when the
/// machine or the FFT size does not allow the batch. Frames are given by their start in a (padded) signal, so a caller can
/// mix frames of a whole recording with frames of a slice of it. Thread-safe (per-thread scratch).
/// </summary>
internal sealed class BatchedSpectrogram
{
    private readonly Spectrogram _stft;
    private readonly float[] _window;
    private readonly ThreadLocal<RealFftBatch>? _fft;
    private readonly ThreadLocal<float[]> _spill;

    public BatchedSpectrogram(SpectrogramOptions options)
    {
        _stft = new Spectrogram(options);
        _window = _stft.Window.ToArray();
        int n = options.NFft;
        if (RealFftBatch.Supports(n)) _fft = new ThreadLocal<RealFftBatch>(() => new RealFftBatch(n));
        int bins = _stft.Bins;
        _spill = new ThreadLocal<float[]>(() => new float[RealFftBatch.Lanes * bins]);
    }

    public SpectrogramOptions Options => _stft.Options;

    /// <summary>n_fft/2 + 1.</summary>
    public int Bins => _stft.Bins;

    public int NFft => _stft.Options.NFft;

    /// <summary>
    /// Spectra of the frames <c>signal[starts[f] .. starts[f] + n_fft)</c>, frame f into <c>output[f·Bins ..]</c>
    /// (as <see cref="Spectrogram.ProcessFrame"/>, including the magnitude's square root when Power = 1).
    /// </summary>
    public void Frames(ReadOnlySpan<float> signal, ReadOnlySpan<int> starts, Span<float> output)
    {
        int bins = Bins, count = starts.Length;
        if (_fft is null)
        {
            for (int f = 0; f < count; f++) _stft.ProcessFrame(signal.Slice(starts[f], NFft), output.Slice(f * bins, bins));
            return;
        }
        var fft = _fft.Value!;
        Span<int> lanes = stackalloc int[RealFftBatch.Lanes];
        var spill = count % RealFftBatch.Lanes == 0 ? [] : _spill.Value!;
        for (int f0 = 0; f0 < count; f0 += RealFftBatch.Lanes)
        {
            int k = Math.Min(RealFftBatch.Lanes, count - f0);
            for (int l = 0; l < RealFftBatch.Lanes; l++) lanes[l] = starts[f0 + Math.Min(l, k - 1)];   // a short last batch repeats its last frame
            if (k == RealFftBatch.Lanes) fft.Power(signal, lanes, _window, output[(f0 * bins)..], bins);
            else
            {
                fft.Power(signal, lanes, _window, spill, bins);
                spill[..(k * bins)].CopyTo(output[(f0 * bins)..]);
            }
        }
        if (Options.Power == 1.0) System.Numerics.Tensors.TensorPrimitives.Sqrt(output[..(count * bins)], output);
    }

    /// <summary>True when the frames go through <see cref="RealFftBatch"/> (and <see cref="PowerLanes"/> may be called).</summary>
    public bool Batched => _fft is not null;

    /// <summary>
    /// The power spectra |X|² (whatever <see cref="SpectrogramOptions.Power"/> says) of up to 8 frames
    /// <c>signal[starts[f] .. starts[f] + n_fft)</c> in lane layout (<see cref="RealFftBatch.PowerLanes"/>): <c>lanes[k]</c>
    /// holds bin k of frame f in lane f; a short batch repeats its last frame in the remaining lanes. Only when <see cref="Batched"/>.
    /// </summary>
    public void PowerLanes(ReadOnlySpan<float> signal, ReadOnlySpan<int> starts, Span<Vector256<float>> lanes)
    {
        int k = starts.Length;
        if (_fft is null || k < 1 || k > RealFftBatch.Lanes)
            throw new UnreachableException($"bug: lane-layout power of {k} frames without a batched FFT or outside 1..{RealFftBatch.Lanes}");
        Span<int> offsets = stackalloc int[RealFftBatch.Lanes];
        for (int l = 0; l < RealFftBatch.Lanes; l++) offsets[l] = starts[Math.Min(l, k - 1)];
        _fft.Value!.PowerLanes(signal, offsets, _window, lanes);
    }
}
