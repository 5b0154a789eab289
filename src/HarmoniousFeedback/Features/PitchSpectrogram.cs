using System.Numerics.Tensors;
using HarmoniousFeedback.Audio;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Semitone-band energies in decibels, the "log pitch" representation of score-informed analysis (Müller, Fundamentals
/// of Music Processing, §3.1 / §7; the pitch stage of <see cref="CrpChroma"/> without the folding):
/// <code>
///   E(t, p) = Σ_k w(p, k) · |X(t, k)|²      p = MinPitch … MaxPitch, w the semitone bands of <see cref="PitchFilterbank"/>
///   P(t, p) = max(10·log10(max(E, 10⁻¹⁰)), max_{t,p} 10·log10 E − top_db)     dB relative to nothing: compare differences
/// </code>
/// Output [frames × (MaxPitch − MinPitch + 1)], column j = MIDI pitch MinPitch + j, rows at the STFT's frame times
/// (centred frames: frame t at t·hop samples). The power spectra are computed 8 frames at a time
/// (<see cref="BatchedSpectrogram"/>: bit-identical to <see cref="Spectrogram"/> frame by frame), blocks of frames in
/// parallel, into pooled scratch.
/// </summary>
public sealed class PitchSpectrogram
{
    private readonly Spectrogram _stft;
    private readonly BatchedSpectrogram _batched;
    private readonly ThreadLocal<(int[] Starts, float[] Power)> _scratch;
    private readonly int[] _start, _length, _offset;
    private readonly float[] _weights;
    private readonly string[] _names;

    public PitchSpectrogram(PitchSpectrogramOptions? options = null)
    {
        Options = options ?? new PitchSpectrogramOptions();
        Options.Validate();
        _stft = new Spectrogram(Options.Stft with { Power = 2.0 });
        _batched = new BatchedSpectrogram(_stft.Options);
        int bins = _stft.Bins;
        _scratch = new ThreadLocal<(int[], float[])>(() => (new int[Dsp.RealFftBatch.Lanes], new float[Dsp.RealFftBatch.Lanes * bins]));
        (_start, _length, _offset, _weights) = PitchFilterbank.Create(Options.Stft.NFft, Options.Stft.SampleRate, Options.Tuning, Options.MaxPitch + 1);
        _names = Enumerable.Range(Options.MinPitch, Options.Pitches).Select(p => $"pitch_{p}").ToArray();
    }

    public PitchSpectrogramOptions Options { get; }

    /// <summary>The pitch spectrogram of a mono signal at <see cref="SpectrogramOptions.SampleRate"/> → [frames × pitches] dB.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var o = _stft.Options;
        var fs = FramedSignal.Rent(signal, o.NFft, o.HopLength, o.Center, o.PadMode);
        int n = Options.Pitches, bins = _stft.Bins, frames = fs.Frames;
        var data = new float[frames * n];
        try
        {
            FeatureParallelism.For(frames, (a, b) =>
            {
                var (starts, power) = _scratch.Value!;
                for (int f0 = a; f0 < b; f0 += starts.Length)
                {
                    int k = Math.Min(starts.Length, b - f0);
                    for (int l = 0; l < k; l++) starts[l] = (f0 + l) * o.HopLength;
                    _batched.Frames(fs.Padded, starts.AsSpan(0, k), power);
                    for (int l = 0; l < k; l++) Bands(power.AsSpan(l * bins, bins), data.AsSpan((f0 + l) * n, n));
                }
            });
        }
        finally
        {
            fs.Return();
        }
        PowerToDb.Apply(data, 1e-10, Options.TopDb);
        return new FeatureMatrix(data, frames, n, _names, SignalGuard.Times(frames, o.HopLength, o.NFft, o.Center, o.SampleRate), Options);
    }

    /// <summary>E(t, p) of one power spectrum into <paramref name="row"/> [pitches].</summary>
    private void Bands(ReadOnlySpan<float> power, Span<float> row)
    {
        int lo = Options.MinPitch;
        for (int j = 0; j < row.Length; j++)
        {
            int p = lo + j;
            row[j] = _length[p] == 0 ? 0f : TensorPrimitives.Dot(_weights.AsSpan(_offset[p], _length[p]), power.Slice(_start[p], _length[p]));
        }
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.Stft.SampleRate, nameof(PitchSpectrogram)));
}
