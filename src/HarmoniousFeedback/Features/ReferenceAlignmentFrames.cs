using System.Collections.Concurrent;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// The two frame-wise views <see cref="ReferenceAlignment"/> reads — the dB log-mel (<see cref="LogMelSpectrogram"/>) and the
/// chroma (<see cref="Chroma"/>) — computed 8 frames at a time (<see cref="RealFftBatch"/>), bit-identical to those classes,
/// either for a whole clip or for a slice of a reference whose frames were computed once (<see cref="ReferenceFeatures"/>).
/// With <see cref="ReferenceAlignmentOptions.PitchProfile"/> = Crp the chroma is <see cref="CrpChroma"/> (frame by frame) and a
/// slice is computed from its samples. Thread-safe.
/// </summary>
internal sealed class ReferenceAlignmentFrames
{
    private readonly ReferenceAlignmentOptions _o;
    private readonly BatchedSpectrogram _melStft;
    private readonly MelFilterbank _melBank;
    private readonly ThreadLocal<Scratch> _scratch;
    private readonly CrpChroma? _crp;

    private sealed class Scratch(int melBins, int chromaFft)
    {
        public readonly float[] Spectra = new float[RealFftBatch.Lanes * melBins];
        public readonly float[] Frames = new float[RealFftBatch.Lanes * chromaFft];
    }

    private static readonly ConcurrentDictionary<ReferenceAlignmentOptions, ReferenceAlignmentFrames> Shared = new();

    /// <summary>
    /// The frames of these (validated) options, built once per process and shared: the mel and chroma filterbanks, the
    /// windows and the FFT tables are immutable and the scratch is per thread, so a <see cref="ReferenceAlignment"/>,
    /// <see cref="ReferenceFeatures"/> or <see cref="ReferenceLocator"/> made per recording or per score pays for them once
    /// (building them takes longer than aligning a 3 s window). Kept for the process's life, one per distinct options
    /// value (≈ 0.1 MB of tables, plus ≈ 0.4 MB of scratch per thread that used it, at the defaults).
    /// </summary>
    public static ReferenceAlignmentFrames For(ReferenceAlignmentOptions options) => Shared.GetOrAdd(options, o => new ReferenceAlignmentFrames(o));

    private ReferenceAlignmentFrames(ReferenceAlignmentOptions options)
    {
        _o = options;
        var mel = new MelSpectrogram(options.LogMel.Mel);
        _melStft = new BatchedSpectrogram(mel.Stft.Options);
        _melBank = mel.Filterbank;
        Chroma = new Chroma(options.Chroma);
        if (options.PitchProfile == PitchProfile.Crp) _crp = new CrpChroma(options.Crp);
        int melBins = _melStft.Bins, fft = Math.Max(options.ChromaNFft, options.LogMel.Mel.NFft);
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(melBins, fft));
    }

    public Chroma Chroma { get; }

    public int Mels => _o.LogMel.Mel.NMels;

    /// <summary>Mel band powers (before dB) of up to 8 frames <c>signal[starts[f] .. + n_fft)</c>, frame f into <c>mel[f·Mels ..]</c>.</summary>
    public void MelRows(ReadOnlySpan<float> signal, ReadOnlySpan<int> starts, Span<float> mel)
    {
        var spectra = _scratch.Value!.Spectra;
        int bins = _melStft.Bins, mels = Mels;
        _melStft.Frames(signal, starts, spectra);
        for (int f = 0; f < starts.Length; f++) _melBank.Apply(spectra.AsSpan(f * bins, bins), mel.Slice(f * mels, mels));
    }

    /// <summary>
    /// The dB log-mel (as <see cref="NormalizedLogMel.ComputeDb"/>) and the chroma (as <see cref="Chroma.Compute(AudioClip)"/>)
    /// of a clip at the options' rate.
    /// </summary>
    public (FeatureMatrix Db, FeatureMatrix Chroma) Whole(AudioClip clip)
    {
        var x = SignalGuard.MonoAt(clip, _o.SampleRate, nameof(LogMelSpectrogram));
        return (Db(MelPower(x)), ChromaOf(x));
    }

    /// <summary>The options' pitch-class profile of a mono signal: <see cref="Chroma"/> (batched) or <see cref="CrpChroma"/>.</summary>
    public FeatureMatrix ChromaOf(float[] x) => _crp?.Compute(x) ?? Chroma.Compute(x);

    /// <summary>Mel band powers [frames × Mels] of a mono signal (as <see cref="MelSpectrogram.Compute(ReadOnlySpan{float})"/>).</summary>
    public float[] MelPower(ReadOnlySpan<float> x)
    {
        SignalGuard.RequireFinite(x);
        var m = _o.LogMel.Mel;
        return FrameRows.All(x, m.NFft, m.HopLength, m.Center, m.PadMode, Mels, MelRows);
    }

    /// <summary>The dB log-mel matrix from mel powers (in place: <see cref="PowerToDb.Apply"/>, clip-level top_db), as <see cref="LogMelSpectrogram"/> returns it.</summary>
    public FeatureMatrix Db(float[] melPower)
    {
        var lm = _o.LogMel;
        int mels = Mels, frames = melPower.Length / mels;
        PowerToDb.Apply(melPower, lm.Amin, lm.TopDb);
        return new FeatureMatrix(melPower, frames, mels, SignalGuard.Names("logmel_", mels),
            SignalGuard.Times(frames, lm.Mel.HopLength, lm.Mel.NFft, lm.Mel.Center, lm.Mel.SampleRate), lm);
    }

    /// <summary>
    /// The dB log-mel and chroma of <c>reference[start .. start + length)</c>, as <see cref="Whole"/> computes them on that
    /// excerpt, from the frames of the whole reference when <paramref name="start"/> is a multiple of the hop
    /// (<see cref="FrameRows.Excerpt"/>: only the frames reaching into the excerpt's padding are computed); the clip-level dB
    /// clamp is then applied to the excerpt's frames. Otherwise the excerpt is computed from its samples.
    /// </summary>
    public (FeatureMatrix Db, FeatureMatrix Chroma) Slice(ReferenceFeatures reference, int start, int length)
    {
        int hop = _o.HopLength;
        var x = reference.Samples.AsSpan(start, length);
        if (start % hop != 0 || _crp is not null) return Whole(new AudioClip(x.ToArray(), _o.SampleRate, reference.Source));
        int frames = Framing.FrameCount(length, _o.LogMel.Mel.NFft, hop, true), first = start / hop, mels = Mels, nc = Chroma.Options.NChroma;
        var mel = new float[frames * mels];
        var chroma = new float[frames * nc];
        var m = _o.LogMel.Mel;
        var c = Chroma.Options.Stft;
        var scratch = _scratch.Value!.Frames;
        FrameRows.Excerpt(x, frames, first, hop, m.NFft, m.PadMode, reference.MelPower, mels, mel, MelRows, scratch);
        FrameRows.Excerpt(x, frames, first, hop, c.NFft, c.PadMode, reference.ChromaRows, nc, chroma, Chroma.Rows, scratch);
        var times = SignalGuard.Times(frames, c.HopLength, c.NFft, c.Center, c.SampleRate);
        return (Db(mel), new FeatureMatrix(chroma, frames, nc, reference.ChromaNames, times, Chroma.Options));
    }
}
