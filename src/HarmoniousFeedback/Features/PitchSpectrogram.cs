using System.Numerics.Tensors;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

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
    private readonly ThreadLocal<Scratch> _scratch;
    private readonly int[] _start, _length, _offset;
    private readonly float[] _weights;
    private readonly string[] _names;

    /// <summary>Per thread: the power spectra of 8 frames, 8 padded frames (an excerpt's edge frames).</summary>
    private sealed record Scratch(float[] Power, float[] Frames);

    public PitchSpectrogram(PitchSpectrogramOptions? options = null)
    {
        Options = options ?? new PitchSpectrogramOptions();
        Options.Validate();
        _stft = new Spectrogram(Options.Stft with { Power = 2.0 });
        _batched = new BatchedSpectrogram(_stft.Options);
        int bins = _stft.Bins;
        int nFft = Options.Stft.NFft;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(new float[RealFftBatch.Lanes * bins], new float[RealFftBatch.Lanes * nFft]));
        (_start, _length, _offset, _weights) = PitchFilterbank.Create(Options.Stft.NFft, Options.Stft.SampleRate, Options.Tuning, Options.MaxPitch + 1);
        _names = Enumerable.Range(Options.MinPitch, Options.Pitches).Select(p => $"pitch_{p}").ToArray();
    }

    public PitchSpectrogramOptions Options { get; }

    /// <summary>The pitch spectrogram of a mono signal at <see cref="SpectrogramOptions.SampleRate"/> → [frames × pitches] dB.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> signal) => Db(Power(signal));

    /// <summary>
    /// The band energies E(t, p) of a mono signal before the dB step, [frames × pitches] row-major: what
    /// <see cref="Excerpt"/> cuts parts from (a score's rendering prepared once, each streamed window's part cut from it).
    /// </summary>
    public float[] Power(ReadOnlySpan<float> signal)
    {
        SignalGuard.RequireFinite(signal);
        var o = _stft.Options;
        return FrameRows.All(signal, o.NFft, o.HopLength, o.Center, o.PadMode, Options.Pitches, Rows);
    }

    /// <summary>
    /// The pitch spectrogram of <c>whole[start .. start + length)</c>, bit-identical to <see cref="Compute(ReadOnlySpan{float})"/>
    /// on that excerpt, from <paramref name="wholePower"/> = <see cref="Power"/>(<paramref name="whole"/>): with centred
    /// frames and <paramref name="start"/> a multiple of the hop only the frames reaching into the excerpt's padding are
    /// computed (<see cref="FrameRows.Excerpt"/>; ≈ 2·n_fft/2/hop frames instead of all), then the excerpt's own top_db clamp
    /// is applied; otherwise the excerpt is computed from its samples.
    /// </summary>
    /// <exception cref="ArgumentException">The range is outside <paramref name="whole"/>, or <paramref name="wholePower"/> is not its power.</exception>
    public FeatureMatrix Excerpt(ReadOnlySpan<float> whole, float[] wholePower, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(wholePower);
        var o = _stft.Options;
        int n = Options.Pitches;
        if (start < 0 || length < 1 || start + length > whole.Length)
            throw new ArgumentException($"{nameof(PitchSpectrogram)}.{nameof(Excerpt)}: samples [{start}, {start + length}) are not inside the signal's {whole.Length}");
        if (wholePower.Length != Framing.FrameCount(whole.Length, o.NFft, o.HopLength, o.Center) * n)
            throw new ArgumentException($"{nameof(PitchSpectrogram)}.{nameof(Excerpt)}: the power has {wholePower.Length} values, not the {n} bands of each frame of this signal (use Power on the whole signal)");
        var x = whole.Slice(start, length);
        if (!o.Center || start % o.HopLength != 0) return Compute(x);
        SignalGuard.RequireFinite(x);
        int frames = Framing.FrameCount(length, o.NFft, o.HopLength, true);
        var data = new float[frames * n];
        FrameRows.Excerpt(x, frames, start / o.HopLength, o.HopLength, o.NFft, o.PadMode, wholePower, n, data, Rows, _scratch.Value!.Frames);
        return Db(data);
    }

    /// <summary>E(t, p) of up to 8 frames <c>signal[starts[f] .. + n_fft)</c>, frame f into <c>rows[f·pitches ..]</c>.</summary>
    private void Rows(ReadOnlySpan<float> signal, ReadOnlySpan<int> starts, Span<float> rows)
    {
        var power = _scratch.Value!.Power;
        int n = Options.Pitches, bins = _stft.Bins;
        _batched.Frames(signal, starts, power);
        for (int l = 0; l < starts.Length; l++) Bands(power.AsSpan(l * bins, bins), rows.Slice(l * n, n));
    }

    /// <summary>The dB matrix from band energies (in place: <see cref="PowerToDb.Apply"/> with the matrix's own top_db clamp).</summary>
    private FeatureMatrix Db(float[] data)
    {
        var o = _stft.Options;
        int frames = data.Length / Options.Pitches;
        PowerToDb.Apply(data, 1e-10, Options.TopDb);
        return new FeatureMatrix(data, frames, Options.Pitches, _names, SignalGuard.Times(frames, o.HopLength, o.NFft, o.Center, o.SampleRate), Options);
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
