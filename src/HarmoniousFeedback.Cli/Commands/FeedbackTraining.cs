using System.Diagnostics;
using System.Globalization;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn.Kernels;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>The training behind <c>hfb feedback-train</c>: corpus, inputs, fit, test, save with provenance.</summary>
public static class FeedbackTraining
{
    /// <summary>Checkpoint metadata keys written by <see cref="Train"/> beside the feature options (all strings).</summary>
    public const string CommandKey = "trained.command", CorpusKey = "trained.corpus", CorpusHashKey = "trained.corpusHash",
        ExcerptKey = "corpus.excerptSeconds", ToolkitKey = "trained.toolkit", SecondsKey = "trained.seconds";

    /// <summary>
    /// Builds and renders the embedded teaching-feedback corpus (<see cref="FeedbackTrainingSettings.Pieces"/> synthetic
    /// pieces × renditions × builtin and builtin-upright, clips of <see cref="FeedbackTrainingSettings.ExcerptSeconds"/>),
    /// computes every clip's inputs (log-mel, the score rendered by builtin and aligned by DTW, alignment features),
    /// trains the model on all of it (early stopping on a song-grouped validation split), evaluates it on a test corpus
    /// of unseen pieces, and saves it with the command, the settings, the corpus hashes, the toolkit version, the
    /// training time and the validation and test metrics as metadata (<c>validation.*</c>, <c>test.*</c>).
    /// </summary>
    public static HarmoniousFeedbackModel Train(string output, string dataRoot, FeedbackTrainingSettings settings, int threads, string command)
    {
        settings.Validate();
        var network = settings.Network;
        network.Validate();
        var training = new HfnTrainingOptions { MaxEpochs = settings.Epochs };
        int oldThreads = Gemm.MaxThreads;
        Gemm.MaxThreads = Math.Clamp(threads, 1, 64);
        try
        {
            var clock = Stopwatch.StartNew();
            var view = new ReferenceViewOptions { LogMel = new LogMelViewOptions { NMels = network.NMels }, PitchProfile = settings.PitchProfile, TailDb = settings.TailDb };
            var notes = settings.NoteMeasures is { } measures ? new NoteComparisonInput(measures, view.ToAlignmentOptions()) : null;
            var (fb, examples, targets, windows) = Inputs(dataRoot, settings.Pieces, settings.Renditions, settings.ExcerptSeconds, settings.Seed, settings.Renderers, view, notes, threads);
            var clips = fb.Dataset.Clips;
            var groups = clips.Select(c => c.GroupId).ToArray();
            Console.Error.WriteLine($"training {network} for at most {training.MaxEpochs} epochs on {clips.Count} clips");
            var model = new HarmoniousFeedbackTrainer(network, training, settings.Seed)
            {
                Observer = new Progress<Nn.EpochReport>(r => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {r.Epoch + 1}/{r.Epochs}: loss {r.TrainLoss:0.0000}{string.Concat(r.Metrics.Where(kv => kv.Key != "loss").Select(kv => $", {kv.Key} {kv.Value:0.0000}"))} ({r.Elapsed.TotalSeconds:0} s)"))),
            }.Fit(examples, targets, groups);
            var inv = CultureInfo.InvariantCulture;
            var lm = view.LogMel;
            var meta = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [FeedbackCommand.SampleRateKey] = lm.SampleRate.ToString(inv),
                [FeedbackCommand.NFftKey] = lm.NFft.ToString(inv),
                [FeedbackCommand.HopKey] = lm.HopLength.ToString(inv),
                [FeedbackCommand.TopDbKey] = lm.TopDb.ToString(inv),
                [FeedbackCommand.RendererKey] = view.Renderer,
                [FeedbackCommand.PitchProfileKey] = view.PitchProfile.ToString().ToLowerInvariant(),
                [ExcerptKey] = settings.ExcerptSeconds.ToString(inv),
                [CommandKey] = command,
                ["trained.settings"] = settings.ToString(),
                [CorpusKey] = $"embedded teaching-feedback corpus, {settings.Pieces} synthetic pieces × {settings.Renditions} renditions × {settings.Renderers.Replace(',', '+')}, {settings.ExcerptSeconds.ToString(inv)} s clips, seed {settings.Seed}",
                [CorpusHashKey] = fb.CorpusHash,
                ["trained.clips"] = clips.Count.ToString(inv),
                ["trained.training"] = training.ToString() ?? "",
                ["trained.network"] = network.ToString(),
                [ToolkitKey] = ToolkitVersion(),
                ["trained.threads"] = threads.ToString(inv),
            };
            if (view.TailDb is double tailDb) meta[FeedbackCommand.TailDbKey] = tailDb.ToString(inv);
            if (notes is not null)
            {
                foreach (var (k, v) in notes.Metadata) meta[k] = v;
                // where the note comparison puts the issues, read against this corpus (NoteIssueLocator)
                var located = targets.Select((t, i) => (windows![i], t.Spans)).ToList();   // the planted deviations, as the targets hold them
                int clean = located.Count(x => x.Item2.Count == 0);
                if (clean >= NoteIssueLocator.MinCleanRenditions)
                {
                    var locator = NoteIssueLocator.Calibrate(located);
                    foreach (var (k, v) in locator.Metadata) meta[k] = v;
                    Console.Error.WriteLine($"note issue locator, calibrated on {clips.Count} clips ({clean} clean):\n{locator}");
                }
                else
                    Console.Error.WriteLine($"note: the corpus has {clean} clean renditions, the note issue locator needs {NoteIssueLocator.MinCleanRenditions}: the model's issues will come from its per-frame scores");
            }
            bool notesOnly = settings.DecideFrom == FeedbackDecision.Notes;
            if (notes is not null) meta[FeedbackCommand.DecideFromKey] = settings.DecideFrom.ToString().ToLowerInvariant();
            var (_, valRows) = HarmoniousFeedbackTrainer.ValidationSplit(groups, training.ValidationFraction, settings.Seed);
            if (valRows.Length > 0)
            {
                Record(meta, "validation", Evaluate(model, valRows.Select(i => examples[i]).ToArray(), valRows.Select(i => targets[i]).ToArray(), notesOnly));
                int best = model.History.Select((r, i) => (r, i)).Where(x => x.r.Metrics.ContainsKey("val_loss")).MinBy(x => x.r.Metrics["val_loss"]).i;
                meta["validation.bestEpoch"] = (model.History[best].Epoch + 1).ToString(inv);   // 1-based, as printed
                meta["validation.epochsRun"] = model.History.Count.ToString(inv);
            }
            if (settings.TestPieces > 0)
            {
                var (testFb, testExamples, testTargets, _) = Inputs(dataRoot, settings.TestPieces, settings.Renditions, settings.ExcerptSeconds, settings.Seed + 1000, settings.Renderers, view, notes, threads);
                Record(meta, "test", Evaluate(model, testExamples, testTargets, notesOnly));
                meta["test.corpus"] = $"{settings.TestPieces} synthetic pieces (seed {settings.Seed + 1000}) × {settings.Renditions} renditions × {settings.Renderers.Replace(',', '+')}";
                meta["test.corpusHash"] = testFb.CorpusHash;
            }
            meta[SecondsKey] = clock.Elapsed.TotalSeconds.ToString("0", inv);
            model.Save(output, meta);
            string provenance = ProvenancePath(output);
            HarmoniousFeedback.IO.AtomicFile.WriteAllText(provenance, System.Text.Json.JsonSerializer.Serialize(
                new SortedDictionary<string, string>(meta, StringComparer.Ordinal), new System.Text.Json.JsonSerializerOptions
                {
                    WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                    TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
                }) + "\n");
            foreach (var (k, v) in meta.Where(kv => kv.Key.StartsWith("validation.", StringComparison.Ordinal) || kv.Key.StartsWith("test.", StringComparison.Ordinal)))
                Console.Error.WriteLine($"{k} = {v}");
            Console.Error.WriteLine($"saved {output} ({new FileInfo(output).Length} bytes) and {provenance} after {meta[SecondsKey]} s");
            return model;
        }
        finally { Gemm.MaxThreads = oldThreads; }
    }

    /// <summary>Where <see cref="Train"/> writes the model's provenance (its metadata as JSON): <c>MODEL.provenance.json</c> beside <c>MODEL.hfbckpt</c>.</summary>
    public static string ProvenancePath(string modelPath) => Path.ChangeExtension(modelPath, ".provenance.json");

    /// <summary>The toolkit's informational version (with the source commit when the build recorded it).</summary>
    public static string ToolkitVersion()
    {
        var asm = typeof(HarmoniousFeedbackException).Assembly;
        return asm.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
            ?? asm.GetName().Version?.ToString() ?? "";
    }

    /// <summary>Dominant-issue accuracy and macro-F1 (classes present in truth or prediction, as scikit-learn's f1_score), per-dimension score MAE and its mean.</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(HarmoniousFeedbackModel model, IReadOnlyList<HfnExample> examples, IReadOnlyList<FeedbackTargets> targets)
        => Evaluate(model, examples, targets, notesOnly: false);

    /// <summary>As <see cref="Evaluate(HarmoniousFeedbackModel, IReadOnlyList{HfnExample}, IReadOnlyList{FeedbackTargets})"/>, the predictions decided from the note comparison alone with <paramref name="notesOnly"/>.</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(HarmoniousFeedbackModel model, IReadOnlyList<HfnExample> examples, IReadOnlyList<FeedbackTargets> targets, bool notesOnly)
    {
        var predictions = model.Predict(examples, notesOnly: notesOnly);
        var truth = targets.Select(t => t.Issue).ToArray();
        var predicted = predictions.Select(p => p.Issue).ToArray();
        var classes = HarmoniousFeedbackNetwork.IssueClasses.Where(c => truth.Contains(c) || predicted.Contains(c)).ToArray();
        var cm = ConfusionMatrix.From(truth, predicted, classes);
        var result = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["clips"] = examples.Count,
            ["accuracy"] = cm.Accuracy,
            ["macroF1"] = cm.MacroF1,
        };
        double all = 0;
        for (int d = 0; d < 6; d++)
        {
            double mae = 0;
            for (int i = 0; i < predictions.Count; i++) mae += Math.Abs(predictions[i].Scores[d] - targets[i].Scores[d]);
            mae /= predictions.Count;
            result[$"mae.{HarmoniousFeedbackNetwork.Dimensions[d]}"] = mae;
            all += mae / 6;
        }
        result["mae"] = all;
        return result;
    }

    private static void Record(Dictionary<string, string> meta, string prefix, IReadOnlyDictionary<string, double> metrics)
    {
        foreach (var (k, v) in metrics) meta[$"{prefix}.{k}"] = v.ToString(k == "clips" ? "0" : "0.0000", CultureInfo.InvariantCulture);
    }

    private static (FeedbackDataset Fb, HfnExample[] Examples, FeedbackTargets[] Targets, IReadOnlyList<LocalContrast>[]? Windows) Inputs(string dataRoot, int pieces, int renditions,
        double excerpt, int seed, string rendererList, ReferenceViewOptions view, NoteComparisonInput? notes, int threads)
    {
        var source = SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = pieces, Seed = seed });
        var corpusOptions = new FeedbackCorpusOptions { Seed = seed, ExcerptSeconds = excerpt, Plan = new RenditionPlanOptions { Renditions = renditions }, Threads = threads };
        var renderers = FeedbackRenderers.Parse(rendererList, 16_000);
        string dir = Path.GetFullPath(Path.Combine(dataRoot, $"feedback-synthetic{pieces}-s{seed}-r{renditions}-x{excerpt.ToString(CultureInfo.InvariantCulture)}-{string.Join("+", renderers.Select(r => r.Name))}-16000"));
        Console.Error.WriteLine($"preparing the teaching-feedback corpus in {dir}");
        FeedbackCorpusPreparer.Prepare(FeedbackCorpus.Build(source, corpusOptions), renderers, new PrepareOptions
        {
            OutputDirectory = dir,
            CacheDirectory = Path.GetFullPath(Path.Combine(dataRoot, "cache", "render")),
            Threads = threads,
        }, _ => { }, CancellationToken.None);
        var fb = FeedbackDataset.Load(dir);
        var clips = fb.Dataset.Clips;
        var examples = new HfnExample[clips.Count];
        var windows = notes is null ? null : new IReadOnlyList<LocalContrast>[clips.Count];
        Console.Error.WriteLine($"aligning {clips.Count} renditions with their scores{(notes is null ? "" : " and comparing their notes")}");
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var c = clips[i];
            var performance = WavReader.Read(c.AudioPath!, mono: true);
            var midi = File.ReadAllBytes(c.ReferenceMidiPath!);
            var score = MidiReader.Read(midi, c.ReferenceMidiPath!);
            var rendered = view.CreateRenderer().Render(score, midi).AsMono();
            var aligned = new ReferenceAlignment(view.ToAlignmentOptions()).Compute(performance, rendered);
            if (notes is null) { examples[i] = HfnExample.From(aligned, null); return; }
            var (values, located) = notes.Compare(performance, rendered, score, aligned);
            examples[i] = HfnExample.From(aligned, values);
            windows![i] = located;
        });
        return (fb, examples, clips.Select(c => ClipIndex.TargetsOf(c, fb)).ToArray(), windows);
    }
}
