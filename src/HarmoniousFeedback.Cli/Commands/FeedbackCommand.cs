using System.CommandLine;
using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Experiments;
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
        cmd.Add(CreateTrain());
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

    private static Command CreateTrain()
    {
        var output = new Option<string>("--out") { Description = "where to write the model checkpoint", Required = true };
        var data = new Option<string>("--data") { Description = "folder for the prepared corpus and caches", DefaultValueFactory = _ => "data" };
        var pieces = new Option<int>("--pieces") { Description = "synthetic reference pieces (4 – 400)", DefaultValueFactory = _ => 40 };
        var renditions = new Option<int>("--renditions") { Description = "student renditions per piece, the first clean (1 – 64)", DefaultValueFactory = _ => 6 };
        var epochs = new Option<int>("--epochs") { Description = "maximum epochs (published 40)", DefaultValueFactory = _ => 40 };
        var iterations = new Option<int>("--iterations") { Description = "K, HFI iterations (0 = HFN without HFI)", DefaultValueFactory = _ => 2 };
        var channels = new Option<string>("--channels") { Description = "encoder channels, comma-separated", DefaultValueFactory = _ => "16,32,64,64" };
        var seed = new Option<int>("--seed") { Description = "seed of the corpus and the training", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "worker threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("train", "Train an HFN–HFI model on the embedded teaching-feedback corpus (builtin + builtin-upright renderings) and save it for hfb feedback")
        {
            output, data, pieces, renditions, epochs, iterations, channels, seed, threads,
        };
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            var ch = pr.GetValue(channels)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new OptionsValidationException("--channels", [$"'{c}' is not an integer (expected e.g. 16,32,64,64)"])).ToArray();
            int k = pr.GetValue(iterations);
            var network = new HarmoniousFeedbackNetworkOptions
            {
                Channels = ch,
                Integration = k > 0 ? new FeedbackIntegrationOptions { Iterations = k } : null,
            };
            var training = new HfnTrainingOptions { MaxEpochs = pr.GetValue(epochs) };
            string command = "hfb " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            Train(pr.GetValue(output)!, pr.GetValue(data)!, pr.GetValue(pieces), pr.GetValue(renditions), pr.GetValue(seed), network, training,
                Math.Max(1, pr.GetValue(threads)), command);
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// Builds and renders the embedded teaching-feedback corpus (<paramref name="pieces"/> synthetic pieces ×
    /// <paramref name="renditions"/> renditions × builtin and builtin-upright), computes every clip's inputs (log-mel,
    /// score rendered by builtin aligned by DTW, alignment features), trains the model on all of it and saves it with
    /// the command, the corpus hash and the feature options as metadata.
    /// </summary>
    public static HarmoniousFeedbackModel Train(string output, string dataRoot, int pieces, int renditions, int seed,
        HarmoniousFeedbackNetworkOptions network, HfnTrainingOptions training, int threads, string command)
    {
        var problems = new List<string>();
        if (pieces is < 4 or > 400) problems.Add($"--pieces = {pieces} must be in [4, 400]");
        if (renditions is < 1 or > 64) problems.Add($"--renditions = {renditions} must be in [1, 64]");
        if (problems.Count > 0) throw new OptionsValidationException("feedback train", problems);
        var source = SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = pieces, Seed = seed });
        var corpusOptions = new FeedbackCorpusOptions { Seed = seed, Plan = new RenditionPlanOptions { Renditions = renditions }, Threads = threads };
        var renderers = FeedbackRenderers.Parse("builtin,builtin-upright", 16_000);
        string dir = Path.GetFullPath(Path.Combine(dataRoot, $"feedback-synthetic{pieces}-s{seed}-r{renditions}-x{corpusOptions.ExcerptSeconds.ToString(CultureInfo.InvariantCulture)}-builtin+builtin-upright-16000"));
        Console.Error.WriteLine($"preparing the teaching-feedback corpus in {dir}");
        FeedbackCorpusPreparer.Prepare(FeedbackCorpus.Build(source, corpusOptions), renderers, new PrepareOptions
        {
            OutputDirectory = dir,
            CacheDirectory = Path.GetFullPath(Path.Combine(dataRoot, "cache", "render")),
            Threads = threads,
        }, _ => { }, CancellationToken.None);
        var fb = FeedbackDataset.Load(dir);
        var view = new ReferenceViewOptions { LogMel = new LogMelViewOptions { NMels = network.NMels } };
        var clips = fb.Dataset.Clips;
        var examples = new HfnExample[clips.Count];
        Console.Error.WriteLine($"aligning {clips.Count} renditions with their scores");
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var c = clips[i];
            var performance = WavReader.Read(c.AudioPath!, mono: true);
            var midi = File.ReadAllBytes(c.ReferenceMidiPath!);
            var rendered = view.CreateRenderer().Render(MidiReader.Read(midi, c.ReferenceMidiPath!), midi).AsMono();
            examples[i] = HfnExample.From(new ReferenceAlignment(view.ToAlignmentOptions()).Compute(performance, rendered));
        });
        var targets = clips.Select(c => ClipIndex.TargetsOf(c, fb)).ToArray();
        Console.Error.WriteLine($"training {network} for at most {training.MaxEpochs} epochs on {clips.Count} clips");
        var model = new HarmoniousFeedbackTrainer(network, training, seed).Fit(examples, targets, clips.Select(c => c.GroupId).ToArray());
        var lm = view.LogMel;
        model.Save(output, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SampleRateKey] = lm.SampleRate.ToString(CultureInfo.InvariantCulture),
            [NFftKey] = lm.NFft.ToString(CultureInfo.InvariantCulture),
            [HopKey] = lm.HopLength.ToString(CultureInfo.InvariantCulture),
            [TopDbKey] = lm.TopDb.ToString(CultureInfo.InvariantCulture),
            [RendererKey] = view.Renderer,
            ["trained.command"] = command,
            ["trained.corpus"] = $"embedded teaching-feedback corpus, {pieces} synthetic pieces × {renditions} renditions × builtin+builtin-upright, seed {seed}",
            ["trained.corpusHash"] = fb.CorpusHash,
            ["trained.clips"] = clips.Count.ToString(CultureInfo.InvariantCulture),
            ["trained.training"] = training.ToString() ?? "",
            ["trained.toolkit"] = typeof(HarmoniousFeedbackException).Assembly.GetName().Version?.ToString() ?? "",
        });
        Console.Error.WriteLine($"saved {output}");
        return model;
    }

    private static int Int(IReadOnlyDictionary<string, string> meta, string key, int fallback, string source)
    {
        if (!meta.TryGetValue(key, out var s)) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new CheckpointException($"{source}: metadata {key} = '{s}' is not a positive integer");
    }
}
