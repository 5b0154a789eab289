using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Models.TeachingFeedback;

/// <summary>
/// Teaching feedback on a recording as it arrives (<c>hfb feedback --stream</c>): the audio is read window by window from
/// an <see cref="AudioStreamReader"/> (memory: one window of samples, whatever the recording's length), each window is
/// placed in the reference and compared with that part of it, and the model's prediction for the window is returned as
/// soon as the window is complete.
/// <para><b>Windows.</b> Window k covers [k·hop, k·hop + W) s (<see cref="StreamingFeedbackOptions"/>: W = 3 s and hop = W by
/// default); the last one may be shorter and is analysed if it lasts at least the minimum.</para>
/// <para><b>Alignment.</b> The whole-clip DTW of <see cref="ReferenceAlignment"/> needs the whole performance, so each window
/// is first located in the reference by <see cref="ReferenceLocator"/> (subsequence DTW with open begin and end over a
/// band of ±b s around the expected position), then that part of the reference is aligned to the window with
/// <see cref="ReferenceAlignment.Compute(HarmoniousFeedback.Audio.AudioClip, HarmoniousFeedback.Audio.AudioClip)"/> (both ends anchored), exactly as a training clip is aligned to its excerpt of
/// the score — the reference's frames are computed once per run (<see cref="ReferenceFeatures"/>) and each window's part
/// is cut from them (bit-identical to aligning with the part's samples). Expected position of window 0: the start of the reference; of window k + 1: the end of window k's span
/// moved by (hop − W) (back, for overlapping windows) — so each window's search follows the performance, and b bounds the
/// drift between consecutive windows, not in total. A window whose best match costs more than
/// <see cref="StreamingFeedbackOptions.MaxMatchCost"/> (nothing in the band sounds like it — wrong notes throughout), or
/// that aligns with the part found hardly better than with that part transposed (transposition contrast below
/// <see cref="StreamingFeedbackOptions.MinContrast"/>: noise, another piece), is assumed to be played in time: span
/// [e, e + its length]. The reference (the score rendered) is held whole: its size is
/// bounded by the score, not by the recording.</para>
/// <para>A model without the reference stream reads only each window's log-mel. A model with note features
/// (<see cref="HarmoniousFeedbackModel.NoteFeatures"/>) also reads each window's note comparison with its part of the
/// score: <see cref="NoteComparisonInput"/> on the window, that part of the rendering and the score cut to it by
/// <see cref="Midi.MidiExcerpt.Cut"/> — the same cut that made the training corpus's excerpts.</para>
/// </summary>
public sealed class StreamingFeedback
{
    private readonly HarmoniousFeedbackModel _model;
    private readonly ReferenceAlignmentOptions _alignment;
    private readonly NormalizedLogMel _logMel;
    private readonly ReferenceAlignment _aligner;
    private readonly ReferenceAlignment _chromaCheck;      // the windows' transposition contrast, on librosa chroma as the locator searches

    /// <summary>The most DTW cells per transposition of a window's contrast: a 3 s window against its part (301 × 301 frames) is compared on pairs of frames (151 × 151).</summary>
    internal const long WindowContrastCells = 40_000;

    /// <param name="model">A trained HFN / HFN–HFI.</param>
    /// <param name="alignment">The alignment options of the model's reference view (their log-mel options are the model's input's).</param>
    /// <param name="options">Windows and search.</param>
    public StreamingFeedback(HarmoniousFeedbackModel model, ReferenceAlignmentOptions alignment, StreamingFeedbackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(alignment);
        Options = options ?? new StreamingFeedbackOptions();
        Options.Validate();
        alignment.Validate();
        _model = model;
        _alignment = alignment;
        _logMel = new NormalizedLogMel(alignment.LogMel);
        _aligner = new ReferenceAlignment(alignment);
        _chromaCheck = alignment.PitchProfile == PitchProfile.Chroma ? _aligner : new ReferenceAlignment(alignment with { PitchProfile = PitchProfile.Chroma });
    }

    public StreamingFeedbackOptions Options { get; }

    /// <summary>The note comparison of a model with note features (<see cref="NoteComparisonInput.FromMetadata"/>); required by such a model, ignored otherwise.</summary>
    public NoteComparisonInput? Notes { get; init; }

    /// <summary>
    /// Place each window's issues from its note comparison (<see cref="WindowFeedback.NoteIssues"/>; needs <see cref="Notes"/>):
    /// the locator calibrated on the model's training corpus, read from its metadata by <see cref="NoteIssueLocator.FromMetadata"/>.
    /// Null (the default): the windows' issues come from the frames.
    /// </summary>
    public NoteIssueLocator? Locator { get; init; }

    /// <summary>Decide each window's dominant issue and scores from the note comparison alone (<see cref="HarmoniousFeedbackModel.Predict"/>'s <c>notesOnly</c>; needs <see cref="Notes"/>). Default false.</summary>
    public bool NotesOnly { get; init; }

    /// <summary>
    /// Reads <paramref name="recording"/> to its end and yields one <see cref="WindowFeedback"/> per window, lazily (a
    /// window is read, analysed and returned before the next is read). <paramref name="reference"/> is the score rendered
    /// (mono, at the model's rate); it is required by a model with the reference stream and ignored otherwise.
    /// <paramref name="withAttention"/> also returns each window's attention map. <paramref name="score"/> is the score
    /// <paramref name="reference"/> was rendered from: required by a model with note features, ignored otherwise.
    /// </summary>
    /// <exception cref="AudioFormatException">The recording or the reference is not at the model's sample rate, or the recording is shorter than the minimum window.</exception>
    /// <exception cref="DatasetException">A model with the reference stream and no reference, or with note features and no <paramref name="score"/> or <see cref="Notes"/>.</exception>
    public IEnumerable<WindowFeedback> Run(AudioStreamReader recording, AudioClip? reference, bool withAttention = false, Midi.MidiScore? score = null)
    {
        ArgumentNullException.ThrowIfNull(recording);
        int sr = _alignment.SampleRate;
        if (recording.SampleRate != sr)
            throw new AudioFormatException(recording.Source, $"the recording is at {recording.SampleRate} Hz but the model was trained at {sr} Hz; resample it to {sr} Hz");
        StreamingReference? prepared = null;
        if (_model.Options.ReferenceStream)
        {
            if (reference is null) throw new DatasetException("this model compares the recording with the score; a reference rendition is needed");
            prepared = Prepare(reference, score);
        }
        return Windows(recording, prepared, withAttention);
    }

    /// <summary>
    /// The reference prepared once per run: its frames (<see cref="ReferenceFeatures"/>), its locator, and for a model with
    /// note features the score and the rendering's semitone-band energies (<see cref="PitchSpectrogram.Power"/>), from which
    /// each window's part is cut. <see cref="Run"/> calls it; <see cref="Window"/> reads it.
    /// </summary>
    /// <exception cref="AudioFormatException">The reference is not at the model's sample rate.</exception>
    /// <exception cref="DatasetException">A model with note features and no <paramref name="score"/> or <see cref="Notes"/>.</exception>
    public StreamingReference Prepare(AudioClip reference, Midi.MidiScore? score = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        int sr = _alignment.SampleRate;
        if (reference.SampleRate != sr)
            throw new AudioFormatException(reference.Source, $"the reference is at {reference.SampleRate} Hz; the alignment runs at {sr} Hz");
        var features = new ReferenceFeatures(reference, _alignment);
        if (_model.NoteFeatures == 0) return new StreamingReference(features, new ReferenceLocator(features), null, null);
        if (score is null || Notes is null)
            throw new DatasetException($"this model also reads the note comparison with the score ({_model.NoteFeatures} measures): give the score and the model's NoteComparisonInput");
        return new StreamingReference(features, new ReferenceLocator(features), score, Notes.Pitch.Power(features.Samples));
    }

    /// <summary>
    /// The features of one window, as <see cref="Run"/> computes them: with a prepared reference the window is located in it
    /// from <paramref name="expectedStart"/> (s), aligned to the part found, and (a model with note features) compared note by
    /// note with that part of the score; without, its log-mel alone. Frame times are the window's own (from 0).
    /// </summary>
    /// <exception cref="AudioFormatException">The window is not at the model's sample rate.</exception>
    public StreamedWindow Window(StreamingReference? reference, AudioClip window, double expectedStart = 0)
    {
        ArgumentNullException.ThrowIfNull(window);
        int sr = _alignment.SampleRate;
        if (window.SampleRate != sr)
            throw new AudioFormatException(window.Source, $"the window is at {window.SampleRate} Hz but the model was trained at {sr} Hz");
        if (reference is null) return new StreamedWindow(new HfnExample(_logMel.Compute(window), null, null), null, false);
        // with librosa chroma the window's frames are computed once, read by the locator and the alignment (the locator
        // always searches on librosa chroma, so with CRP the two compute their own)
        var frames = _alignment.PitchProfile == PitchProfile.Chroma ? _aligner.Frames(window) : default;
        var found = frames.Db is not null
            ? reference.Locator.LocateFrames(frames, window.Source, expectedStart, Options.SearchSeconds)
            : reference.Locator.Locate(window, expectedStart, Options.SearchSeconds);
        bool matched = found.Cost <= Options.MaxMatchCost;
        bool check = matched && !double.IsNegativeInfinity(Options.MinContrast);
        // does the window play this part of the score, or is the part merely the cheapest place for it (noise finds one
        // too)? The transposition contrast on the alignment's own frames (librosa chroma, as the locator searches; with
        // CRP from the two clips' samples)
        var (a, length) = found.Samples(sr, reference.Features.Length);
        ReferenceAlignmentResult? aligned = frames.Db is not null
            ? _aligner.Compute(frames, reference.Features, a, length, check ? WindowContrastCells : 0)
            : null;
        double? contrast = null;
        if (check)
        {
            contrast = (aligned?.Contrast
                ?? _chromaCheck.Contrast(window, new AudioClip(reference.Features.Samples.AsSpan(a, length).ToArray(), sr, reference.Features.Source), WindowContrastCells)).Contrast;
            matched = contrast >= Options.MinContrast;
        }
        if (!matched)
        {
            var locator = reference.Locator;
            double s0 = Math.Clamp(expectedStart, 0, Math.Max(0, locator.Seconds - locator.FrameSeconds));
            found = found with { Start = s0, End = Math.Min(locator.Seconds, s0 + window.DurationSeconds) };
            (a, length) = found.Samples(sr, reference.Features.Length);
            aligned = null;
        }
        aligned ??= frames.Db is not null
            ? _aligner.Compute(frames, reference.Features, a, length)
            : _aligner.Compute(window, reference.Features, a, length);
        float[]? notes = null;
        IReadOnlyList<LocalContrast>? noteWindows = null;
        if (reference.Score is not null)
        {
            // the window's part of the score, cut as the corpus cuts its excerpts, and of its rendering
            var pitch = Notes!.Pitch;
            (notes, noteWindows) = Notes.Compare(pitch.Compute(window), pitch.Excerpt(reference.Features.Samples, reference.PitchPower!, a, length),
                Midi.MidiExcerpt.Cut(reference.Score, a / (double)sr, length / (double)sr), aligned);
        }
        return new StreamedWindow(HfnExample.From(aligned, notes), found, matched, contrast) { NoteWindows = noteWindows };
    }

    private IEnumerable<WindowFeedback> Windows(AudioStreamReader recording, StreamingReference? reference, bool withAttention)
    {
        int sr = _alignment.SampleRate;
        int w = (int)Math.Round(Options.WindowSeconds * sr), hop = (int)Math.Round(Options.Hop * sr), min = (int)Math.Round(Options.MinWindowSeconds * sr);
        var buffer = new float[w];
        int filled = 0;
        long start = 0;
        double expected = 0;
        for (int index = 0; ; index++)
        {
            while (filled < w)
            {
                int n = recording.ReadMono(buffer.AsSpan(filled, w - filled));
                if (n == 0) break;
                filled += n;
            }
            if (filled < min || (index > 0 && filled <= w - hop && filled < w))
            {
                // nothing new beyond the overlap, or too short to analyse
                if (index == 0) throw new AudioFormatException(recording.Source, $"the recording lasts {filled / (double)sr:0.###} s; a window needs at least {Options.MinWindowSeconds:0.###} s");
                yield break;
            }
            var window = new AudioClip(buffer.AsSpan(0, filled).ToArray(), sr, recording.Source);
            double t0 = start / (double)sr, t1 = (start + filled) / (double)sr;
            double peak = PerformanceCheck.PeakDbfs(buffer.AsSpan(0, filled));
            var streamed = Window(reference, window, expected);
            var (example, span, matched, contrast) = streamed;
            // a silent window (the player paused) says nothing about where the music is: the next window is searched
            // for where the last sounding one ended
            if (span is { } found && peak >= PerformanceCheck.SilenceDbfs) expected = found.End + (Options.Hop - Options.WindowSeconds);
            example = Shift(example, t0);
            var prediction = _model.Predict([example], withAttention, NotesOnly)[0];
            var noteIssues = Locator is not null && streamed.NoteWindows is { } located
                ? Locator.Locate(located, prediction.Issue, prediction.Scores, window.DurationSeconds).Select(x => x with { Start = x.Start + t0, End = x.End + t0 }).ToList()
                : null;
            yield return new WindowFeedback(index, t0, t1, span, matched, example, prediction) { PeakDbfs = peak, Contrast = contrast, NoteIssues = noteIssues };
            if (filled < w) yield break;                                   // the recording ended inside this window
            Array.Copy(buffer, hop, buffer, 0, w - hop);
            filled = w - hop;
            start += hop;
        }
    }

    /// <summary>The example with every frame time moved by <paramref name="offset"/> s (the data are shared, not copied).</summary>
    public static HfnExample Shift(HfnExample e, double offset)
    {
        FeatureMatrix? S(FeatureMatrix? m) => m is null ? null
            : new FeatureMatrix(m.Data, m.Rows, m.Columns, m.FeatureNames, m.FrameTimes.Select(t => t + offset).ToArray(), m.Options);
        return e with { Student = S(e.Student)!, Reference = S(e.Reference), Alignment = S(e.Alignment) };
    }
}
