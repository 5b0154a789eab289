using System.CommandLine;
using System.Globalization;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb feedback-train --out MODEL [--pieces 40] [--renditions 6] [--excerpt-seconds 6] [--epochs 40] [--iterations 2]
/// [--channels 16,32,64,64] [--seed 1] [--test-pieces 8] [--notes [--notes-local] [--modality-dropout P] [--decide-from notes]]
/// [--threads N] [--default-model-recipe]</c>: trains an HFN–HFI on the
/// embedded teaching-feedback corpus (synthetic pieces rendered by builtin and builtin-upright), evaluates it on
/// <c>--test-pieces</c> further synthetic pieces it never saw (a corpus of another seed) and saves it with its
/// provenance as checkpoint metadata (<see cref="FeedbackTraining.Train"/>). <c>--default-model-recipe</c> fixes every
/// training option to <see cref="DefaultFeedbackModel"/>'s recipe: the command that rebuilt the model shipped with hfb.
/// <para>It is a top-level command rather than <c>hfb feedback train</c> because <c>hfb feedback</c> takes the recording
/// as its positional argument, and System.CommandLine then writes a nested command's usage as
/// <c>hfb feedback &lt;recording&gt; train</c>. <c>hfb feedback train …</c> still works (a hidden alias with the same options).</para>
/// </summary>
public static class FeedbackTrainCommand
{
    public static Command Create(string name = "feedback-train", bool hidden = false)
    {
        var output = new Option<string>("--out") { Description = "where to write the model checkpoint", Required = true };
        var data = new Option<string>("--data") { Description = "folder for the prepared corpora and caches", DefaultValueFactory = _ => "data" };
        var pieces = new Option<int>("--pieces") { Description = "synthetic reference pieces to train on (4 – 400)", DefaultValueFactory = _ => 40 };
        var renditions = new Option<int>("--renditions") { Description = "student renditions per piece, the first clean (1 – 64)", DefaultValueFactory = _ => 6 };
        var excerpt = new Option<double>("--excerpt-seconds") { Description = "length of each clip (2 – 60 s); hfb feedback --stream uses it as its window", DefaultValueFactory = _ => 6 };
        var epochs = new Option<int>("--epochs") { Description = "maximum epochs (published 40)", DefaultValueFactory = _ => 40 };
        var iterations = new Option<int>("--iterations") { Description = "K, HFI iterations (0 = HFN without HFI)", DefaultValueFactory = _ => 2 };
        var channels = new Option<string>("--channels") { Description = "encoder channels, comma-separated", DefaultValueFactory = _ => "16,32,64,64" };
        var seed = new Option<int>("--seed") { Description = "seed of the corpus and the training (the test corpus uses seed + 1000)", DefaultValueFactory = _ => 1 };
        var testPieces = new Option<int>("--test-pieces") { Description = "unseen synthetic pieces (another seed) to evaluate the model on; 0 = none", DefaultValueFactory = _ => 8 };
        var pitchProfile = new Option<Features.PitchProfile>("--pitch-profile") { Description = "pitch-class profile of the score comparison: chroma (librosa chroma_stft) or crp (timbre-reduced; docs/feedback.md)", DefaultValueFactory = _ => Features.PitchProfile.Chroma };
        var tailDb = new Option<double?>("--tail-db") { Description = "align each recording only up to its last frame within this many dB of its loudest (1 – 120; default: whole recordings)" };
        var renderers = new Option<string>("--renderers") { Description = "renderers of every rendition, comma-separated (builtin, builtin-upright, builtin-varied = a voicing drawn per rendition: timbre augmentation)", DefaultValueFactory = _ => "builtin,builtin-upright" };
        var notes = new Option<bool>("--notes") { Description = "also read the note comparison with the score (ScoreInformedComparison without the duration and unexplained-onset measures: the score-notes view without durations and onsets) into the shared representation" };
        var localNotes = new Option<bool>("--notes-local") { Description = "with --notes, also the local contrasts (a window's notes against the rest, the pedal's notes against the others)" };
        var modalityDropout = new Option<double>("--modality-dropout") { Description = "probability of dropping a training clip's audio part of the shared representation, so the model learns to decide from the note comparison (0 – <1; needs --notes)", DefaultValueFactory = _ => 0 };
        var decideFrom = new Option<FeedbackDecision>("--decide-from") { Description = "what hfb feedback decides the dominant issue and scores from by default, recorded in the model: all, or notes (the note comparison alone; needs --notes, best with --modality-dropout); the validation and test metrics are measured so", DefaultValueFactory = _ => FeedbackDecision.All };
        var threads = new Option<int>("--threads") { Description = "worker threads (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var recipe = new Option<bool>("--default-model-recipe") { Description = $"use the recipe of the model shipped with hfb ({DefaultFeedbackModel.FileName}): {DefaultFeedbackModel.RecipeText}" };
        var cmd = new Command(name, "Train an HFN–HFI model on the embedded teaching-feedback corpus (builtin + builtin-upright renderings) and save it for hfb feedback --model")
        {
            output, data, pieces, renditions, excerpt, epochs, iterations, channels, seed, testPieces, pitchProfile, tailDb, renderers, notes, localNotes, modalityDropout, decideFrom, threads, recipe,
        };
        cmd.Hidden = hidden;
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            var settings = new FeedbackTrainingSettings
            {
                Pieces = pr.GetValue(pieces), Renditions = pr.GetValue(renditions), ExcerptSeconds = pr.GetValue(excerpt),
                Epochs = pr.GetValue(epochs), Iterations = pr.GetValue(iterations), Channels = ParseChannels(pr.GetValue(channels)!),
                Seed = pr.GetValue(seed), TestPieces = pr.GetValue(testPieces), PitchProfile = pr.GetValue(pitchProfile), TailDb = pr.GetValue(tailDb),
                Notes = pr.GetValue(notes), LocalNotes = pr.GetValue(localNotes), ModalityDropout = pr.GetValue(modalityDropout), DecideFrom = pr.GetValue(decideFrom), Renderers = pr.GetValue(renderers)!,
            };
            if (pr.GetValue(recipe))
            {
                var fixedOptions = new Option[] { pieces, renditions, excerpt, epochs, iterations, channels, seed, testPieces, pitchProfile, tailDb, renderers, notes, localNotes, modalityDropout, decideFrom };
                var given = fixedOptions.Where(o => pr.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
                if (given.Length > 0)
                    throw new OptionsValidationException("--default-model-recipe", [$"the recipe fixes {string.Join(", ", given)}; drop {(given.Length == 1 ? "it" : "them")} or drop --default-model-recipe"]);
                settings = DefaultFeedbackModel.Recipe;
            }
            string command = "hfb " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            if (hidden) Console.Error.WriteLine("note: 'hfb feedback train' is now 'hfb feedback-train' (same options)");
            FeedbackTraining.Train(pr.GetValue(output)!, pr.GetValue(data)!, settings, Math.Max(1, pr.GetValue(threads)), command);
            return 0;
        }));
        return cmd;
    }

    private static int[] ParseChannels(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new OptionsValidationException("--channels", [$"'{c}' is not an integer (expected e.g. 16,32,64,64)"])).ToArray();
}
