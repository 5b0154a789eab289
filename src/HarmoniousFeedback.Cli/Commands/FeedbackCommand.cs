using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Pipeline.Views;
using HarmoniousFeedback.Plotting;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb feedback RECORDING.wav --reference SCORE.mid [--model MODEL] [--json] [--figure OUT.svg] [--stream
/// [--window-seconds W] [--hop-seconds H] [--search-seconds B]]</c>: runs a trained HFN / HFN–HFI (a checkpoint written by
/// <see cref="HarmoniousFeedbackModel.Save"/>; without <c>--model</c> the one shipped inside hfb, <see cref="DefaultFeedbackModel"/>)
/// on a recording and prints the report for a person (<see cref="FeedbackReport"/>: per-dimension scores, dominant issue,
/// time-stamped issues, emotional estimates, template text) or, with <c>--json</c>, one JSON object. A model with the
/// reference stream needs the score: it is rendered by the builtin synthesizer (or the renderer recorded in the model)
/// and aligned to the recording by DTW (<see cref="ReferenceAlignment"/>). The log-mel follows the model's recorded
/// feature options (defaults: 16 kHz, n_fft 512, hop 160, top_db 80).
/// <para><c>--stream</c> reads the recording window by window in bounded memory (<see cref="StreamingFeedback"/>: window W =
/// the model's training clip length, else 3 s; hop = W unless <c>--hop-seconds</c>; each window found in the reference by
/// subsequence DTW within ±B s of where the previous one ended) and prints one report per window as soon as it is
/// analysed — with <c>--json</c> one JSON object per line (JSONL) with the window's <c>start</c>/<c>end</c> and the matched
/// <c>reference</c> span; a window in which nothing was played (<see cref="PerformanceCheck.SilenceDbfs"/>) is reported as
/// <c>"silent": true</c> with its peak level and a sentence, without scores.</para>
/// <para><c>--figure OUT.svg</c> writes <see cref="FeedbackFigure"/> (log-mel, attention map, per-frame scores and issue
/// spans) as SVG, and beside it OUT.png when librsvg's rsvg-convert is installed (else a note on stderr); with
/// <c>--stream</c> one figure per window, OUT-w000.svg, OUT-w001.svg, …. Nothing is written without it.</para>
/// <para><c>--decide-from all|notes</c>: the dominant issue and the dimension scores from everything the model reads, or
/// from its note comparison alone (<see cref="HarmoniousFeedbackModel.Predict"/>'s <c>notesOnly</c>: for an instrument
/// unlike the training ones); the default is what the model records (<see cref="DecideFromKey"/>; the shipped model:
/// notes), else all; JSON <c>"decided_from"</c>.</para>
/// <para><c>--locate-from frames|notes</c>: the time-localised issues from the model's per-frame scores, or from the note
/// comparison's windows read against the training corpus (<see cref="NoteIssueLocator"/>, recorded in the model as
/// <see cref="NoteIssueLocator.MetadataKey"/>); the default is notes for a model that records that calibration (the
/// shipped one), else frames; JSON <c>"issues_from"</c>, also per <c>--stream</c> window.</para>
/// <para>The whole-recording report carries how well the recording follows the score (<see cref="ScoreMatch"/>, JSON
/// <c>"reference": {"cost", "matched"}</c>) and warns in its text when it does not.</para>
/// <para>An unreadable or silent recording, score or model, a sample-rate mismatch, or bad streaming settings: one line on stderr,
/// exit code 2, and no output file (figures are written atomically, after the analysis).</para>
/// </summary>
public static class FeedbackCommand
{
    /// <summary>Checkpoint metadata keys that record the feature options the model was trained with (all optional).</summary>
    public const string SampleRateKey = "features.sampleRate", NFftKey = "features.nFft", HopKey = "features.hopLength",
        TopDbKey = "features.topDb", RendererKey = "reference.renderer", PitchProfileKey = "alignment.pitchProfile", TailDbKey = "alignment.tailDb",
        DecideFromKey = "feedback.decideFrom";

    /// <summary>The <c>--stream</c> window when the model records no training clip length (s).</summary>
    public const double DefaultWindowSeconds = 3;

    public static Command Create()
    {
        var recording = new Argument<string>("recording") { Description = "the student's recording (WAV, mono or stereo, at the model's sample rate unless --resample; other formats through ffmpeg)" };
        var reference = new Option<string?>("--reference", "--score") { Description = "the score (MIDI) the student played; needed by a model with the reference stream (the default model has it)" };
        var model = new Option<string?>("--model") { Description = $"a trained HFN / HFN–HFI checkpoint (hfb feedback-train); default: the model shipped with hfb ({DefaultFeedbackModel.FileName})" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (with --stream: one per window and line, JSONL) instead of the report" };
        var figure = new Option<string?>("--figure") { Description = "write the figure (log-mel, attention map, per-frame scores, issue spans) to this .svg, and a .png beside it when rsvg-convert is installed; with --stream one per window (NAME-w000.svg, …)" };
        var stream = new Option<bool>("--stream") { Description = "read the recording in windows (bounded memory) and report each window as it is analysed" };
        var window = new Option<double?>("--window-seconds") { Description = $"--stream window (s); default: the model's training clip length, else {DefaultWindowSeconds.ToString(CultureInfo.InvariantCulture)}" };
        var hop = new Option<double?>("--hop-seconds") { Description = "--stream hop between window starts (s, ≤ the window); default: the window (no overlap)" };
        var search = new Option<double?>("--search-seconds") { Description = "--stream: how far (s) from where the previous window ended each window is searched for in the reference; default 2" };
        var decideFrom = new Option<FeedbackDecision?>("--decide-from") { Description = "what the dominant issue and the scores are decided from: all (the spectrogram, the score comparison and the note comparison) or notes (the note comparison alone: for an instrument unlike the ones the model was trained on; needs a model with note features, best one trained with --modality-dropout); default: what the model records (the shipped model: notes), else all" };
        var locateFrom = new Option<FeedbackLocation?>("--locate-from") { Description = "where the time-localised issues come from: frames (the model's per-frame scores) or notes (the note comparison's windows, calibrated on the training corpus; needs a model trained with --notes by this version); default: notes when the model records the calibration (the shipped model), else frames" };
        var resample = new Option<bool>("--resample") { Description = "resample a recording at another rate to the model's (windowed-sinc, torchaudio's resample; with --stream as it is read); without it a rate mismatch is an error" };
        var cmd = new Command("feedback", "Teaching feedback on a recording: per-dimension scores, time-stamped issues, emotional estimates (HFN–HFI; docs/feedback.md)")
        {
            recording, reference, model, json, figure, stream, window, hop, search, resample, decideFrom, locateFrom,
        };
        cmd.Add(FeedbackTrainCommand.Create("train", hidden: true));
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            bool streaming = pr.GetValue(stream);
            var streamOnly = new Option[] { window, hop, search }.Where(o => pr.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
            if (!streaming && streamOnly.Length > 0)
                throw new OptionsValidationException("hfb feedback", [$"{string.Join(", ", streamOnly)} only apply with --stream"]);
            string? figurePath = pr.GetValue(figure);
            if (figurePath is not null && !figurePath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
                throw new OptionsValidationException("hfb feedback", [$"--figure = '{figurePath}' must name an .svg file (the .png is written beside it)"]);
            var loaded = LoadModel(pr.GetValue(model));
            if (pr.GetValue(decideFrom) is { } decision) loaded = loaded.DecidingFrom(decision);
            if (pr.GetValue(locateFrom) is { } location) loaded = loaded.LocatingFrom(location);
            if (loaded.NotesOnly && loaded.Model.Options.ModalityDropout == 0)
                Console.Error.WriteLine($"warning: {loaded.Source} was trained without modality dropout: its heads never saw the note comparison alone, so deciding from it may mislead (train with hfb feedback-train --modality-dropout 0.5)");
            if (!streaming)
            {
                var (example, prediction, match, noteIssues) = Analyse(pr.GetValue(recording)!, pr.GetValue(reference), loaded, withAttention: figurePath is not null, resample: pr.GetValue(resample));
                var report = Report(prediction, match, noteIssues);
                if (figurePath is not null) WriteFigure(FeedbackFigure.Create(example, prediction, report.Issues, Path.GetFileName(pr.GetValue(recording)!)), figurePath);
                Console.WriteLine(pr.GetValue(json) ? WithDecision(report.ToJson(), loaded).ToJsonString() : report.ToText().TrimEnd() + DecisionLine(loaded));
                return 0;
            }
            var options = new StreamingFeedbackOptions
            {
                WindowSeconds = pr.GetValue(window) ?? loaded.ExcerptSeconds ?? DefaultWindowSeconds,
                HopSeconds = pr.GetValue(hop),
                SearchSeconds = pr.GetValue(search) ?? new StreamingFeedbackOptions().SearchSeconds,
            };
            options = options with { MinWindowSeconds = Math.Min(options.MinWindowSeconds, options.WindowSeconds) };
            foreach (var w in Stream(pr.GetValue(recording)!, pr.GetValue(reference), loaded, options, withAttention: figurePath is not null, resample: pr.GetValue(resample)))
            {
                var report = Report(w.Prediction, null, w.NoteIssues);
                if (figurePath is not null)
                {
                    string path = Path.Combine(Path.GetDirectoryName(figurePath) ?? "", $"{Path.GetFileNameWithoutExtension(figurePath)}-w{w.Index:000}.svg");
                    WriteFigure(FeedbackFigure.Create(w.Example, w.Prediction, report.Issues,
                        string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(pr.GetValue(recording)!)}, window {w.Index}: {w.Start:0.00}–{w.End:0.00} s")), path);
                }
                Console.WriteLine(pr.GetValue(json) ? WithDecision(WindowJson(w, report), loaded).ToJsonString() : WindowText(w, report));
                Console.Out.Flush();
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>A model with what its metadata says about its inputs.</summary>
    /// <param name="Model">The network.</param>
    /// <param name="Metadata">Everything recorded beside the weights (feature options, provenance).</param>
    /// <param name="Source">The file, or the shipped model's name.</param>
    /// <param name="LogMel">The log-mel options the model was trained with.</param>
    /// <param name="Renderer">The renderer of the reference stream.</param>
    /// <param name="ExcerptSeconds">The training clip length, when recorded.</param>
    /// <param name="PitchProfile">The score comparison's pitch-class profile (metadata <c>alignment.pitchProfile</c>; chroma when absent).</param>
    /// <param name="TailDb">The score comparison's tail trim (metadata <c>alignment.tailDb</c>; off when absent).</param>
    /// <param name="Notes">The note comparison a model with note features reads (metadata <c>notes.measures</c>); null for other models.</param>
    /// <param name="Decision">What the dominant issue and the scores are decided from (metadata <c>feedback.decideFrom</c>; all when absent).</param>
    /// <param name="Locator">The note issue locator's calibration on the training corpus (metadata <see cref="NoteIssueLocator.MetadataKey"/>); null when not recorded.</param>
    /// <param name="Location">Where the time-localised issues come from (notes when <paramref name="Locator"/> is recorded, else frames).</param>
    public sealed record LoadedModel(HarmoniousFeedbackModel Model, IReadOnlyDictionary<string, string> Metadata, string Source,
        LogMelViewOptions LogMel, string Renderer, double? ExcerptSeconds, PitchProfile PitchProfile = PitchProfile.Chroma, double? TailDb = null,
        NoteComparisonInput? Notes = null, FeedbackDecision Decision = FeedbackDecision.All, NoteIssueLocator? Locator = null,
        FeedbackLocation Location = FeedbackLocation.Frames)
    {
        /// <summary>Whether the issues are placed by <see cref="Locator"/> from the note comparison's windows.</summary>
        public bool LocatesFromNotes => Location == FeedbackLocation.Notes;

        /// <summary>This model taking its issues from <paramref name="location"/>.</summary>
        /// <exception cref="OptionsValidationException"><see cref="FeedbackLocation.Notes"/> for a model that records no calibration (or reads no notes).</exception>
        public LoadedModel LocatingFrom(FeedbackLocation location)
        {
            if (location == FeedbackLocation.Notes && (Locator is null || Notes is null))
                throw new OptionsValidationException("--locate-from", [$"notes: {Source} records no calibration of the note comparison's windows ({NoteIssueLocator.MetadataKey}; train one with hfb feedback-train --notes)"]);
            return this with { Location = location };
        }

        /// <summary>The reference view (log-mel options, renderer, alignment options) that the model's training inputs were computed with.</summary>
        public ReferenceViewOptions View => new() { LogMel = LogMel, Renderer = Renderer, PitchProfile = PitchProfile, TailDb = TailDb };

        /// <summary>Whether predictions are decided from the note comparison alone.</summary>
        public bool NotesOnly => Decision == FeedbackDecision.Notes;

        /// <summary>This model deciding from <paramref name="decision"/>.</summary>
        /// <exception cref="OptionsValidationException"><see cref="FeedbackDecision.Notes"/> for a model without note features.</exception>
        public LoadedModel DecidingFrom(FeedbackDecision decision)
        {
            if (decision == FeedbackDecision.Notes && Notes is null)
                throw new OptionsValidationException("--decide-from", [$"notes: {Source} reads no note comparison to decide from (train one with hfb feedback-train --notes)"]);
            return this with { Decision = decision };
        }
    }

    /// <summary>The JSON report with <c>"decided_from": "all" | "notes"</c>.</summary>
    private static JsonObject WithDecision(JsonObject json, LoadedModel loaded)
    {
        json["decided_from"] = loaded.Decision.ToString().ToLowerInvariant();
        return json;
    }

    private static string DecisionLine(LoadedModel loaded) =>
        loaded.NotesOnly ? "\n(the dominant issue and the scores are decided from the note comparison alone: --decide-from notes)" : "";

    /// <summary>Loads <paramref name="modelPath"/>, or the model shipped with hfb when null, and reads its feature options.</summary>
    /// <exception cref="CheckpointException">A missing, corrupt or non-HFN model, or unreadable metadata.</exception>
    public static LoadedModel LoadModel(string? modelPath)
    {
        IReadOnlyDictionary<string, string> meta;
        var model = modelPath is null ? DefaultFeedbackModel.Load(out meta) : HarmoniousFeedbackModel.Load(modelPath, out meta);
        string source = modelPath ?? "hfb default model " + DefaultFeedbackModel.FileName;
        var d = new LogMelViewOptions();
        var logMel = d with
        {
            SampleRate = Int(meta, SampleRateKey, d.SampleRate, source),
            NMels = model.Options.NMels,
            NFft = Int(meta, NFftKey, d.NFft, source),
            HopLength = Int(meta, HopKey, d.HopLength, source),
            TopDb = meta.TryGetValue(TopDbKey, out var topDb) && double.TryParse(topDb, CultureInfo.InvariantCulture, out var t) ? t : d.TopDb,
        };
        double? excerpt = meta.TryGetValue(FeedbackTraining.ExcerptKey, out var x) && double.TryParse(x, CultureInfo.InvariantCulture, out var e) && e > 0 ? e : null;
        var profile = PitchProfile.Chroma;
        if (meta.TryGetValue(PitchProfileKey, out var p) && !Enum.TryParse(p, ignoreCase: true, out profile))
            throw new CheckpointException($"{source}: metadata {PitchProfileKey} = '{p}' is not one of chroma, crp");
        double? tail = null;
        if (meta.TryGetValue(TailDbKey, out var td))
            tail = double.TryParse(td, NumberStyles.Float, CultureInfo.InvariantCulture, out var tv) && tv is >= 1 and <= 120
                ? tv : throw new CheckpointException($"{source}: metadata {TailDbKey} = '{td}' is not a number in [1, 120]");
        var loaded = new LoadedModel(model, meta, source, logMel, meta.GetValueOrDefault(RendererKey, "builtin"), excerpt, profile, tail);
        loaded = loaded with { Notes = NoteComparisonInput.FromMetadata(model, meta, loaded.View.ToAlignmentOptions(), source) };
        if (loaded.Notes is not null && NoteIssueLocator.FromMetadata(meta, source) is { } locator)
            loaded = loaded with { Locator = locator, Location = FeedbackLocation.Notes };
        if (!meta.TryGetValue(DecideFromKey, out var from)) return loaded;
        if (!Enum.TryParse<FeedbackDecision>(from, ignoreCase: true, out var decision) || !Enum.IsDefined(decision))
            throw new CheckpointException($"{source}: metadata {DecideFromKey} = '{from}' is not one of all, notes");
        if (decision == FeedbackDecision.Notes && loaded.Notes is null)
            throw new CheckpointException($"{source}: metadata {DecideFromKey} = notes, but the model reads no note comparison");
        return loaded with { Decision = decision };
    }

    /// <summary>Loads the model (null = the shipped one), computes the recording's inputs (and the score comparison) and returns the report.</summary>
    /// <exception cref="HarmoniousFeedbackException">An unreadable file, a score missing for a model that needs one, a sample-rate mismatch.</exception>
    public static FeedbackReport Analyse(string recordingPath, string? scorePath, string? modelPath)
    {
        var (_, prediction, match, noteIssues) = Analyse(recordingPath, scorePath, LoadModel(modelPath), withAttention: false, resample: false);
        return Report(prediction, match, noteIssues);
    }

    /// <summary>
    /// The report of <paramref name="prediction"/>: its issues from the frames, or <paramref name="noteIssues"/> when
    /// given (<see cref="FeedbackReport.IssuesFrom"/> = <c>"notes"</c>), with the score match when checked.
    /// </summary>
    public static FeedbackReport Report(HfnPrediction prediction, ScoreMatch? match, IReadOnlyList<FeedbackSpan>? noteIssues)
    {
        var report = FeedbackReport.From(prediction);
        if (noteIssues is not null) report = report.WithIssues(noteIssues, "notes");
        return match is null ? report : report.WithScoreMatch(match);
    }

    /// <summary>
    /// The whole recording's inputs, the model's prediction (with the attention map when asked), with the reference
    /// stream how well the recording follows the score (<see cref="PerformanceCheck.DefaultMaxMatchCost"/>), and, when the
    /// model locates from the notes (<see cref="LoadedModel.LocatesFromNotes"/>), the issues placed by its
    /// <see cref="NoteIssueLocator"/> (else null: the report takes the frames').
    /// </summary>
    /// <remarks>With <paramref name="resample"/> a recording at another rate is resampled to the model's (<see cref="Resampler"/>) instead of refused.</remarks>
    /// <exception cref="HarmoniousFeedbackException">An unreadable file, a silent recording (<see cref="PerformanceCheck.ThrowIfSilent"/>), a score missing for a model that needs one, a sample-rate mismatch (without <paramref name="resample"/>).</exception>
    public static (HfnExample Example, HfnPrediction Prediction, ScoreMatch? Match, IReadOnlyList<FeedbackSpan>? NoteIssues) Analyse(string recordingPath, string? scorePath, LoadedModel loaded, bool withAttention, bool resample = false)
    {
        var model = loaded.Model;
        var logMel = loaded.LogMel;
        RequireScore(loaded, scorePath);
        var performance = AudioFile.Read(recordingPath, mono: true); // WAV natively, other formats (and µ-law/A-law WAV) through ffmpeg, as --help says
        if (performance.SampleRate != logMel.SampleRate)
        {
            if (!resample) throw RateMismatch(recordingPath, performance.SampleRate, logMel.SampleRate);
            performance = Resampler.Resample(performance, logMel.SampleRate);
        }
        if (performance.DurationSeconds < 0.5)
            throw new AudioFormatException(recordingPath, $"the recording lasts {performance.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; at least 0.5 s is needed");
        PerformanceCheck.ThrowIfSilent(performance);
        if (scorePath is not null && model.Options.ReferenceStream)
        {
            var alignment = loaded.View.ToAlignmentOptions();
            var (score, rendered) = RenderScore(scorePath, loaded);
            var aligned = new ReferenceAlignment(alignment).Compute(performance, rendered, contrast: true);
            var (notes, windows) = loaded.Notes?.Compare(performance, rendered, score, aligned) ?? default;
            var example = HfnExample.From(aligned, notes);
            var prediction = model.Predict([example], withAttention, loaded.NotesOnly)[0];
            var noteIssues = loaded.LocatesFromNotes && windows is not null
                ? loaded.Locator!.Locate(windows, prediction.Issue, prediction.Scores, performance.DurationSeconds) : null;
            return (example, prediction, new ScoreMatch(aligned.MeanCost, PerformanceCheck.DefaultMaxMatchCost(alignment.PitchProfile),
                aligned.Contrast!.Contrast, PerformanceCheck.DefaultMinContrast(alignment.PitchProfile)), noteIssues);
        }
        var plain = new HfnExample(new NormalizedLogMel(logMel.ToLogMelOptions()).Compute(performance), null, null);
        return (plain, model.Predict([plain], withAttention)[0], null, null);
    }

    /// <summary>
    /// <c>--stream</c>: the recording read window by window (<see cref="AudioStreamReader"/>, bounded memory) and analysed
    /// by <see cref="StreamingFeedback"/>; lazily, one window at a time.
    /// </summary>
    /// <exception cref="HarmoniousFeedbackException">As <see cref="Analyse(string, string?, LoadedModel, bool, bool)"/>, and invalid <paramref name="options"/>.</exception>
    public static IEnumerable<WindowFeedback> Stream(string recordingPath, string? scorePath, LoadedModel loaded, StreamingFeedbackOptions options, bool withAttention, bool resample = false)
    {
        options.Validate();
        RequireScore(loaded, scorePath);
        var alignment = loaded.View.ToAlignmentOptions();
        var reader = AudioStreamReader.Open(recordingPath);
        try
        {
            if (reader.SampleRate != loaded.LogMel.SampleRate)
            {
                if (!resample) throw RateMismatch(recordingPath, reader.SampleRate, loaded.LogMel.SampleRate);
                reader = new ResamplingStreamReader(reader, loaded.LogMel.SampleRate);
            }
            var (score, rendered) = scorePath is not null && loaded.Model.Options.ReferenceStream ? RenderScore(scorePath, loaded) : default;
            var streaming = new StreamingFeedback(loaded.Model, alignment, options)
            {
                Notes = loaded.Notes, NotesOnly = loaded.NotesOnly, Locator = loaded.LocatesFromNotes ? loaded.Locator : null,
            };
            return Dispose(streaming.Run(reader, rendered, withAttention, score), reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static AudioFormatException RateMismatch(string path, int rate, int modelRate) =>
        new(path, $"the recording is at {rate} Hz but the model was trained at {modelRate} Hz; resample it to {modelRate} Hz (or pass --resample)");

    private static IEnumerable<WindowFeedback> Dispose(IEnumerable<WindowFeedback> windows, IDisposable owner)
    {
        using (owner)
            foreach (var w in windows) yield return w;
    }

    private static void RequireScore(LoadedModel loaded, string? scorePath)
    {
        if (loaded.Model.Options.ReferenceStream && scorePath is null)
            throw new DatasetException($"{loaded.Source}: this model compares the recording with the score; pass the score with --reference SCORE.mid");
    }

    private static (MidiScore Score, AudioClip Rendered) RenderScore(string scorePath, LoadedModel loaded)
    {
        // Read once: the score may be a pipe (<(…)), which a second read would find empty.
        var bytes = MidiReader.ReadFileBytes(scorePath);
        var score = MidiReader.Read(bytes, scorePath);
        if (score.Notes.Count == 0) throw new MidiFormatException(scorePath, "the score has no notes");
        return (score, loaded.View.CreateRenderer().Render(score, bytes).AsMono());
    }

    /// <summary>One window's report as JSON: the report's fields (<see cref="FeedbackReport.ToJson"/>) after <c>window</c> {index, start, end} and, with the reference stream, <c>reference</c> {start, end, cost, matched}.</summary>
    public static JsonObject WindowJson(WindowFeedback w, FeedbackReport report)
    {
        static double R(double x) => Math.Round(x, 4);
        var o = new JsonObject
        {
            ["window"] = new JsonObject { ["index"] = w.Index, ["start"] = R(w.Start), ["end"] = R(w.End) },
        };
        if (w.Silent)
        {
            o["silent"] = true;
            o["peak_dbfs"] = double.IsFinite(w.PeakDbfs) ? R(w.PeakDbfs) : null;
            o["text"] = SilentText(w);
            return o;
        }
        if (w.Reference is { } r)
        {
            var ro = new JsonObject { ["start"] = R(r.Start), ["end"] = R(r.End), ["cost"] = R(r.Cost) };
            if (w.Contrast is double c) ro["contrast"] = R(c);
            ro["matched"] = w.ReferenceMatched;
            o["reference"] = ro;
        }
        foreach (var (k, v) in report.ToJson().ToArray()) o[k] = v?.DeepClone();
        return o;
    }

    private static string SilentText(WindowFeedback w)
        => $"Nothing was played in this window (loudest sample {PerformanceCheck.DbText(w.PeakDbfs)}, below {PerformanceCheck.DbText(PerformanceCheck.SilenceDbfs)}).";

    private static string WindowText(WindowFeedback w, FeedbackReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        if (w.Silent) return string.Create(inv, $"window {w.Index}: {w.Start:0.00}–{w.End:0.00} s: silent") + Environment.NewLine + SilentText(w) + Environment.NewLine;
        string head = string.Create(inv, $"window {w.Index}: {w.Start:0.00}–{w.End:0.00} s")
            + (w.Reference is { } r ? string.Create(inv, $" (score {r.Start:0.00}–{r.End:0.00} s{(w.ReferenceMatched ? "" : ", assumed: no match in the score")})") : "");
        return head + Environment.NewLine + report.ToText().TrimEnd() + Environment.NewLine;
    }

    private static void WriteFigure(FigureStack figure, string svgPath)
    {
        figure.SaveSvg(svgPath);
        string png = Path.ChangeExtension(svgPath, ".png");
        try { figure.SaveRenderedPng(png); }
        catch (ExternalToolException e) { Console.Error.WriteLine($"note: {svgPath} written; {Path.GetFileName(png)} not ({e.Message})"); }
    }

    private static int Int(IReadOnlyDictionary<string, string> meta, string key, int fallback, string source)
    {
        if (!meta.TryGetValue(key, out var s)) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new CheckpointException($"{source}: metadata {key} = '{s}' is not a positive integer");
    }
}
