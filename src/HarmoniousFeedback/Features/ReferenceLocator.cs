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
/// [e − b, e + n·h·<see cref="MaxStretch"/> + b] (clipped to the reference) are searched; <see cref="Dtw.Align(ReadOnlySpan{float}, int, int, double, bool, bool)"/> with an open
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
    private readonly ReferenceAlignmentFrames _frames;

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
        _frames = ReferenceAlignmentFrames.For(Options with { PitchProfile = PitchProfile.Chroma });   // the search always runs on librosa chroma
        _reference = Vectors(_frames.Whole(reference.AsMono()), reference.Source, out int m);
        Frames = m;
    }

    /// <summary>The locator of a reference whose frames were computed once (<see cref="ReferenceFeatures"/>; the same vectors as from its samples, not recomputed).</summary>
    /// <param name="reference">The prepared reference; its options are the locator's.</param>
    /// <exception cref="AudioFormatException">The reference is shorter than one frame.</exception>
    public ReferenceLocator(ReferenceFeatures reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Options = reference.Options;
        _frames = ReferenceAlignmentFrames.For(Options with { PitchProfile = PitchProfile.Chroma });
        var views = Options.PitchProfile == PitchProfile.Chroma
            ? _frames.Slice(reference, 0, reference.Length)                                             // the prepared frames are librosa chroma
            : _frames.Whole(new AudioClip(reference.Samples, Options.SampleRate, reference.Source));   // CRP prepared: the search's chroma from the samples
        _reference = Vectors(views, reference.Source, out int m);
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
        return LocateFrames(_frames.Whole(excerpt.AsMono()), excerpt.Source, expectedStart, searchSeconds);
    }

    /// <summary>
    /// <see cref="Locate(AudioClip, double, double)"/> on the excerpt's frames (<see cref="ReferenceAlignment.Frames"/>), already
    /// validated; its chroma's silent frames are zeroed in place, as <see cref="ReferenceAlignment"/> does, so the same
    /// frames can then be aligned.
    /// </summary>
    internal ReferenceSpan LocateFrames((FeatureMatrix Db, FeatureMatrix Chroma) excerpt, string source, double expectedStart, double searchSeconds)
    {
        var e = Vectors(excerpt, source, out int n);
        double h = FrameSeconds;
        int j0 = Math.Clamp((int)Math.Floor((expectedStart - searchSeconds) / h), 0, Frames - 1);
        int j1 = Math.Clamp((int)Math.Ceiling((expectedStart + n * h * MaxStretch + searchSeconds) / h), j0, Frames - 1);
        int band = j1 - j0 + 1;
        var (qi, rj, total) = ReferenceAlignment.AlignCosine(e, n, _reference, j0, band, Options.StepPenalty, openEnds: true);
        int first = j0 + rj[0], last = j0 + rj[^1];
        return new ReferenceSpan(first * h, (last + 1) * h, total / qi.Length);
    }

    private float[] Vectors((FeatureMatrix Db, FeatureMatrix Chroma) views, string source, out int frames)
    {
        var (db, c) = views;
        frames = Math.Min(db.Rows, c.Rows);
        if (frames < 1) throw new AudioFormatException(source, "the audio is shorter than one analysis frame");
        ReferenceAlignment.Silence(c, ReferenceAlignment.Levels(db), frames, Options.SilenceDb);
        int smooth = (int)Math.Round(Options.ChromaSmoothingSeconds * Options.SampleRate / Options.HopLength);
        return ReferenceAlignment.DtwVectors(c, frames, 1, (float)Options.ChromaCompression, smooth);
    }
}
