using System.CommandLine;
using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb feedback RECORDING.wav [--reference SCORE.mid] --model MODEL [--json]</c>: runs a trained HFN / HFN–HFI
/// (a checkpoint written by <see cref="HarmoniousFeedbackModel.Save"/>) on one recording and prints the report for a
/// person (<see cref="FeedbackReport"/>: per-dimension scores, dominant issue, time-stamped issues, emotional estimates,
/// template text) or, with <c>--json</c>, one JSON object. A model with the reference stream needs the score: it is
/// rendered by the builtin synthesizer (or the renderer recorded in the model) and aligned to the recording by DTW
/// (<see cref="ReferenceAlignment"/>). The log-mel follows the model's recorded feature options (defaults: 16 kHz,
/// n_fft 512, hop 160, top_db 80). An unreadable recording, score or model, or a sample-rate mismatch: one line on
/// stderr, exit code 2. <c>hfb feedback train --out MODEL</c> trains such a model on the embedded teaching-feedback corpus
/// and records in it the command, the corpus hash and the feature options.
/// </summary>
public static class FeedbackCommand
{
    /// <summary>Checkpoint metadata keys that record the feature options the model was trained with (all optional).</summary>
    public const string SampleRateKey = "features.sampleRate", NFftKey = "features.nFft", HopKey = "features.hopLength",
        TopDbKey = "features.topDb", RendererKey = "reference.renderer";

    public static Command Create()
    {
        var recording = new Argument<string>("recording") { Description = "the student's recording (WAV, mono or stereo, at the model's sample rate)" };
        var reference = new Option<string?>("--reference", "--score") { Description = "the score (MIDI) the student played; needed by a model with the reference stream" };
        var model = new Option<string>("--model") { Description = "a trained HFN / HFN–HFI checkpoint (HarmoniousFeedbackModel.Save)", Required = true };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of the report" };
        var cmd = new Command("feedback", "Teaching feedback on a recording: per-dimension scores, time-stamped issues, emotional estimates (HFN–HFI; docs/feedback.md)")
        {
            recording, reference, model, json,
        };
        cmd.Add(FeedbackTrainCommand.Create("train", hidden: true));
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            var report = Analyse(pr.GetValue(recording)!, pr.GetValue(reference), pr.GetValue(model)!);
            Console.WriteLine(pr.GetValue(json) ? report.ToJson().ToJsonString() : report.ToText().TrimEnd());
            return 0;
        }));
        return cmd;
    }

    /// <summary>Loads the model, computes the recording's inputs (and the score comparison) and returns the report.</summary>
    /// <exception cref="HarmoniousFeedbackException">An unreadable file, a score missing for a model that needs one, a sample-rate mismatch.</exception>
    public static FeedbackReport Analyse(string recordingPath, string? scorePath, string modelPath)
    {
        var model = HarmoniousFeedbackModel.Load(modelPath, out var meta);
        var d = new LogMelViewOptions();
        var logMel = d with
        {
            SampleRate = Int(meta, SampleRateKey, d.SampleRate, modelPath),
            NMels = model.Options.NMels,
            NFft = Int(meta, NFftKey, d.NFft, modelPath),
            HopLength = Int(meta, HopKey, d.HopLength, modelPath),
            TopDb = meta.TryGetValue(TopDbKey, out var topDb) && double.TryParse(topDb, CultureInfo.InvariantCulture, out var t) ? t : d.TopDb,
        };
        if (model.Options.ReferenceStream && scorePath is null)
            throw new DatasetException($"{modelPath}: this model compares the recording with the score; pass the score with --reference SCORE.mid");
        var performance = WavReader.Read(recordingPath, mono: true);
        if (performance.SampleRate != logMel.SampleRate)
            throw new AudioFormatException(recordingPath, $"the recording is at {performance.SampleRate} Hz but the model was trained at {logMel.SampleRate} Hz; resample it to {logMel.SampleRate} Hz");
        if (performance.DurationSeconds < 0.5)
            throw new AudioFormatException(recordingPath, $"the recording lasts {performance.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; at least 0.5 s is needed");
        HfnExample example;
        if (scorePath is not null && model.Options.ReferenceStream)
        {
            var score = MidiReader.Read(scorePath);
            if (score.Notes.Count == 0) throw new MidiFormatException(scorePath, "the score has no notes");
            var view = new ReferenceViewOptions { LogMel = logMel, Renderer = meta.GetValueOrDefault(RendererKey, "builtin") };
            var rendered = view.CreateRenderer().Render(score, File.ReadAllBytes(scorePath)).AsMono();
            example = HfnExample.From(new ReferenceAlignment(view.ToAlignmentOptions()).Compute(performance, rendered));
        }
        else example = new HfnExample(new NormalizedLogMel(logMel.ToLogMelOptions()).Compute(performance), null, null);
        return FeedbackReport.From(model.Predict([example])[0]);
    }

    private static int Int(IReadOnlyDictionary<string, string> meta, string key, int fallback, string source)
    {
        if (!meta.TryGetValue(key, out var s)) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new CheckpointException($"{source}: metadata {key} = '{s}' is not a positive integer");
    }
}
