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
/// (centred frames: frame t at t·hop samples).
/// </summary>
public sealed class PitchSpectrogram
{
    private readonly Spectrogram _stft;
    private readonly int[] _start, _length, _offset;
    private readonly float[] _weights;
    private readonly string[] _names;

    public PitchSpectrogram(PitchSpectrogramOptions? options = null)
    {
        Options = options ?? new PitchSpectrogramOptions();
        Options.Validate();
        _stft = new Spectrogram(Options.Stft with { Power = 2.0 });
        (_start, _length, _offset, _weights) = PitchFilterbank.Create(Options.Stft.NFft, Options.Stft.SampleRate, Options.Tuning, Options.MaxPitch + 1);
        _names = Enumerable.Range(Options.MinPitch, Options.Pitches).Select(p => $"pitch_{p}").ToArray();
    }

    public PitchSpectrogramOptions Options { get; }

    /// <summary>The pitch spectrogram of a mono signal at <see cref="SpectrogramOptions.SampleRate"/> → [frames × pitches] dB.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> signal)
    {
        var s = _stft.Compute(signal);
        int n = Options.Pitches, lo = Options.MinPitch;
        var data = new float[s.Rows * n];
        for (int t = 0; t < s.Rows; t++)
        {
            var power = s.Row(t);
            var row = data.AsSpan(t * n, n);
            for (int j = 0; j < n; j++)
            {
                int p = lo + j;
                row[j] = _length[p] == 0 ? 0f : TensorPrimitives.Dot(_weights.AsSpan(_offset[p], _length[p]), power.Slice(_start[p], _length[p]));
            }
        }
        PowerToDb.Apply(data, 1e-10, Options.TopDb);
        return new FeatureMatrix(data, s.Rows, n, _names, s.FrameTimes, Options);
    }

    public FeatureMatrix Compute(AudioClip clip) => Compute(SignalGuard.MonoAt(clip, Options.Stft.SampleRate, nameof(PitchSpectrogram)));
}
