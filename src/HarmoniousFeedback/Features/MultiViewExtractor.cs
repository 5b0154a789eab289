using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features.Symbolic;
using HarmoniousFeedback.Features.Text;

namespace HarmoniousFeedback.Features;

/// <summary>
/// Aligned multi-view extraction for one clip (<see cref="ClipSources"/> → <see cref="ClipViews"/>): score and performance
/// features from the MIDI, the audio rhythm view from the audio (per <see cref="MultiViewOptions.AudioRhythmFor"/>), and the
/// text's token ids. Segment grids follow <see cref="SegmentGrid"/> on the audio's length, so row k of every segment-level
/// view — and of the audio's LLD segments (<see cref="LldExtractor"/> with the options the views were
/// <see cref="MultiViewOptions.AlignedWith"/>) — covers the same time span. The audio length is the WAV header's frame
/// count, rescaled (rounded) to the symbolic options' sample rate when the file's rate differs. Without audio, the
/// symbolic grid runs to the end of the last sounding note (<see cref="SymbolicFeatureExtractor.DefaultLength"/>).
/// <para>Cached through <see cref="MultiViewOptions.CacheDirectory"/> (<see cref="FeatureCache"/>: key = content hash of the
/// MIDI or audio bytes + clip length, and the canonical options); text is tokenised every time (cheap). Thread-safe.
/// A MIDI or audio file that cannot be read or parsed raises its typed exception (<see cref="MidiFormatException"/>,
/// <see cref="AudioFormatException"/>); a MIDI without notes raises <see cref="MidiFormatException"/>.</para>
/// </summary>
public sealed class MultiViewExtractor
{
    private readonly SymbolicFeatureExtractor _symbolic;
    private readonly AudioRhythmExtractor _rhythm;
    private readonly string _rhythmCanonical;

    public MultiViewOptions Options { get; }
    public FeatureCache? Cache { get; }

    public MultiViewExtractor(MultiViewOptions? options = null)
    {
        Options = options ?? new MultiViewOptions();
        Options.Validate();
        _symbolic = new SymbolicFeatureExtractor(Options.Symbolic);
        _rhythm = new AudioRhythmExtractor(Options.AudioRhythm);
        _rhythmCanonical = FeatureCache.CanonicalOptions(Options.AudioRhythm) + "/v" + AudioRhythmExtractor.CacheVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Cache = Options.CacheDirectory is null ? null : new FeatureCache(Options.CacheDirectory);
    }

    public ClipViews Extract(ClipSources clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var missing = new Dictionary<ViewKind, string>();
        byte[]? audio = clip.AudioPath is null ? null : ReadAudio(clip.AudioPath);

        SymbolicFeatures? symbolic = null;
        bool aligned = false;
        if (clip.MidiPath is null)
        {
            const string noMidi = "the clip has no MIDI (audio-only source); score and performance features need a symbolic source (a transcription is not attempted)";
            missing[ViewKind.Score] = noMidi;
            missing[ViewKind.Performance] = noMidi;
        }
        else
        {
            int? length = null;
            if (audio is not null)
            {
                var info = WavReader.ReadInfo(audio, clip.AudioPath!);
                int sr = Options.Symbolic.SampleRate;
                length = info.SampleRate == sr ? checked((int)info.Frames) : checked((int)Math.Round(info.Frames * (double)sr / info.SampleRate));
                aligned = true;
            }
            symbolic = _symbolic.Compute(ReadMidi(clip.MidiPath), clip.MidiPath, length is > 0 ? length : null, Cache);
            if (length is 0) aligned = false;
        }

        AudioRhythmFeatures? rhythm = null;
        bool wantRhythm = Options.AudioRhythmFor switch
        {
            AudioRhythmPolicy.AllClips => true,
            AudioRhythmPolicy.ClipsWithoutMidi => clip.MidiPath is null,
            _ => false,
        };
        if (!wantRhythm)
            missing[ViewKind.AudioRhythm] = $"not requested (MultiViewOptions.AudioRhythmFor = {Options.AudioRhythmFor}{(clip.MidiPath is null ? "" : " and the clip has MIDI")})";
        else if (audio is null)
            missing[ViewKind.AudioRhythm] = "the clip has no audio file (render MIDI sources with `hfb data prepare` first)";
        else
            rhythm = Rhythm(audio, clip.AudioPath!);

        int[]? tokens = null; int masked = 0;
        if (string.IsNullOrWhiteSpace(clip.Text))
            missing[ViewKind.Text] = "the clip has no text (EMOPIA: 31 of 387 songs have no text.jsonl entry)";
        else
        {
            tokens = TextTokenizer.Gpt2.Encode(clip.Text, Options.TextMasking);
            masked = tokens.Count(t => t == TextTokenizer.MaskId);
        }

        return new ClipViews
        {
            ClipId = clip.Id, Symbolic = symbolic, SegmentsAlignedWithAudio = aligned, AudioRhythm = rhythm,
            TextTokens = tokens, MaskedWords = masked, Missing = missing,
        };
    }

    private AudioRhythmFeatures Rhythm(byte[] audio, string path)
    {
        string[] roles = ["segments", "clip", "envelope", "onsets"];
        string? content = Cache is null ? null : FeatureCache.Sha256Hex(audio);
        if (Cache is not null)
        {
            var hits = new FeatureMatrix?[roles.Length];
            bool all = true;
            for (int i = 0; i < roles.Length && all; i++)
                all = Cache.TryGet(FeatureCache.Key(content!, _rhythmCanonical + "/" + roles[i]), _rhythmCanonical + "/" + roles[i], out hits[i]);
            if (all && hits[0]!.Columns == AudioRhythmExtractor.Columns.Count && hits[1]!.Rows == 1) return new AudioRhythmFeatures(hits[0]!, hits[1]!, hits[2]!, hits[3]!.FrameTimes);
        }
        var clip = WavReader.Read(audio, path);
        if (clip.SampleRate != Options.AudioRhythm.SampleRate)
            throw new FeatureParameterException(nameof(MultiViewOptions),
                [$"audio {path} has sample rate {clip.SampleRate} Hz but AudioRhythm expects {Options.AudioRhythm.SampleRate} Hz (set AudioRhythm.LogMel.Mel.SampleRate or resample the audio explicitly)"]);
        var f = _rhythm.Compute(clip.AsMono());
        if (Cache is not null)
        {
            // onset times ride in the (float64) row times so that a cache hit returns them bit-exactly
            var onsets = new FeatureMatrix([.. f.OnsetTimes.Select(t => (float)t)], f.OnsetTimes.Length, 1, ["onset_time_s"], f.OnsetTimes, Options.AudioRhythm);
            var mats = new[] { f.Segments, f.Clip, f.Envelope, onsets };
            for (int i = 0; i < roles.Length; i++)
                Cache.Put(FeatureCache.Key(content!, _rhythmCanonical + "/" + roles[i]), _rhythmCanonical + "/" + roles[i], mats[i]);
        }
        return f;
    }

    private static byte[] ReadAudio(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new AudioFormatException(path, "cannot read file: " + e.Message, e); }
    }

    private static byte[] ReadMidi(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MidiFormatException(path, "cannot read file: " + e.Message, e); }
    }
}
