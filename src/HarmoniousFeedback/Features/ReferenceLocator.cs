using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Dsp;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Finds where a short excerpt of a performance (a <c>hfb feedback --stream</c> window) sits in the whole reference, by
/// subsequence DTW over a search band — the streaming counterpart of <see cref="ReferenceAlignment"/>'s whole-clip path,
/// which needs the whole performance. The reference's DTW vectors are computed once; each call costs
/// O(n · band) for an excerpt of n frames.
/// <para><b>Vectors and cost</b> as <see cref="ReferenceAlignment"/>: chroma of each recording (frames more than
/// <see cref="ReferenceAlignmentOptions.SilenceDb"/> below its own loudest set silent), log(1 + γc), averaged over
/// ±<see cref="ReferenceAlignmentOptions.ChromaSmoothingSeconds"/>, a 13th element for silence, unit length;
/// c(i, j) = 1 − cos(v_e(i), v_r(j)).</para>
/// <para><b>Band.</b> With e the expected start (s) and b the search half-width (s), the reference frames
/// [e − b, e + n·h·<see cref="MaxStretch"/> + b] (clipped to the reference) are searched; <see cref="Dtw.Align"/> with an open
/// begin and an open end (librosa's <c>subseq=True</c>) and step penalty δ returns the cheapest path, whose first and last
/// reference frames are the span. The excerpt is assumed to be played at no less than 1/<see cref="MaxStretch"/> of the
/// score's tempo within the band; a performance that strays further from the expected position than b is not found
/// (the caller sets e from the previous window's span, so b bounds the drift per window, not in total).</para>
/// </summary>
public sealed class ReferenceLocator
{
    /// <summary>The band reaches this many excerpt lengths past the expected start (a performance up to 2× slower than the score fits).</summary>
    public const double MaxStretch = 2.0;

    private readonly float[] _reference;
    private readonly Chroma _chroma;
    private readonly LogMelSpectrogram _logMel;

    /// <param name="reference">The score rendered, mono at <see cref="ReferenceAlignmentOptions.SampleRate"/>.</param>
    /// <param name="options">The alignment options (chroma, hop, silence, step penalty) — those of the model's reference view.</param>
    /// <exception cref="AudioFormatException">The reference is not at the options' sample rate, or shorter than one frame.</exception>
    public ReferenceLocator(AudioClip reference, ReferenceAlignmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Options = options ?? new ReferenceAlignmentOptions();
        Options.Validate();
        if (reference.SampleRate != Options.SampleRate)
            throw new AudioFormatException(reference.Source, $"the reference is at {reference.SampleRate} Hz; the alignment runs at {Options.SampleRate} Hz");
        _chroma = new Chroma(Options.Chroma);
        _logMel = new LogMelSpectrogram(Options.LogMel);
        _reference = Vectors(reference.AsMono(), out int m);
        Frames = m;
    }

    public ReferenceAlignmentOptions Options { get; }

    /// <summary>Frames of the reference (at the alignment hop).</summary>
    public int Frames { get; }

    /// <summary>Seconds per frame (hop / sample rate).</summary>
    public double FrameSeconds => (double)Options.HopLength / Options.SampleRate;

    /// <summary>The reference's length in seconds (frames × hop).</summary>
    public double Seconds => Frames * FrameSeconds;

    /// <summary>
    /// The part of the reference that <paramref name="excerpt"/> (mono, at the options' rate) plays, searched around
    /// <paramref name="expectedStart"/> (s) within ±<paramref name="searchSeconds"/> (see the type).
    /// </summary>
    /// <exception cref="AudioFormatException">The excerpt's sample rate differs from the options'.</exception>
    /// <exception cref="OptionsValidationException">A negative or non-finite search width or expected start.</exception>
    public ReferenceSpan Locate(AudioClip excerpt, double expectedStart, double searchSeconds)
    {
        ArgumentNullException.ThrowIfNull(excerpt);
        var v = new OptionsValidator(nameof(ReferenceLocator));
        v.Check(double.IsFinite(expectedStart), $"expectedStart = {expectedStart} must be finite");
        v.Check(searchSeconds >= 0 && double.IsFinite(searchSeconds), $"searchSeconds = {searchSeconds} must be >= 0");
        v.ThrowIfAny();
        if (excerpt.SampleRate != Options.SampleRate)
            throw new AudioFormatException(excerpt.Source, $"the excerpt is at {excerpt.SampleRate} Hz; the alignment runs at {Options.SampleRate} Hz");
        var e = Vectors(excerpt.AsMono(), out int n);
        double h = FrameSeconds;
        int j0 = Math.Clamp((int)Math.Floor((expectedStart - searchSeconds) / h), 0, Frames - 1);
        int j1 = Math.Clamp((int)Math.Ceiling((expectedStart + n * h * MaxStretch + searchSeconds) / h), j0, Frames - 1);
        int band = j1 - j0 + 1;
        var cost = new float[n * band];
        for (int i = 0; i < n; i++)
        {
            var a = e.AsSpan(i * 13, 13);
            for (int j = 0; j < band; j++)
                cost[i * band + j] = 1f - System.Numerics.Tensors.TensorPrimitives.Dot(a, _reference.AsSpan((j0 + j) * 13, 13));
        }
        var (qi, rj, total) = Dtw.Align(cost, n, band, Options.StepPenalty, openBegin: true, openEnd: true);
        int first = j0 + rj[0], last = j0 + rj[^1];
        return new ReferenceSpan(first * h, (last + 1) * h, total / qi.Length);
    }

    private float[] Vectors(AudioClip clip, out int frames)
    {
        var db = _logMel.Compute(clip);
        var c = _chroma.Compute(clip);
        frames = Math.Min(db.Rows, c.Rows);
        if (frames < 1) throw new AudioFormatException(clip.Source, "the audio is shorter than one analysis frame");
        ReferenceAlignment.Silence(c, ReferenceAlignment.Levels(db), frames, Options.SilenceDb);
        int smooth = (int)Math.Round(Options.ChromaSmoothingSeconds * Options.SampleRate / Options.HopLength);
        return ReferenceAlignment.DtwVectors(c, frames, 1, (float)Options.ChromaCompression, smooth);
    }
}
