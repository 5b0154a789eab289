using System.Globalization;
using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// The HFN–HFI model that ships inside <c>hfb</c> (an embedded resource of the CLI assembly, so it is there after
/// <c>dotnet tool install</c> without any file beside the tool) and that <c>hfb feedback</c> runs when no <c>--model</c> is
/// given. Source: <c>src/HarmoniousFeedback.Cli/DefaultModel/</c> — the checkpoint and its provenance (the command,
/// the corpus, the seed, the toolkit version and commit, the validation and test metrics it reached). Rebuild it with
/// <c>hfb feedback-train --default-model-recipe --threads 1 --out src/HarmoniousFeedback.Cli/DefaultModel/hfn-hfi-default-v6.hfbckpt</c>
/// (<c>tools/build-default-feedback-model.sh</c>); the same seed gives the same weights (the engine's results do not depend
/// on the thread count). A new recipe gets a new <see cref="Version"/> and file name.
/// </summary>
public static class DefaultFeedbackModel
{
    /// <summary>Version of the shipped model (part of its file name).</summary>
    public const string Version = "v6";   // v6: note comparison version 9 (notes heard at a 1 dB rise); v5 (46bd25c): v4's recipe + the note issue locator's calibration (notes.locate); v4 (2a8798c): + the local contrasts (58), modality dropout 0.5, deciding from the notes; v3 (569dea5): 41 measures; v2 (2e07a05): 45; v1 (d6430b2): none

    /// <summary>The checkpoint's file name under DefaultModel/ (and the resource's).</summary>
    public const string FileName = "hfn-hfi-default-" + Version + ".hfbckpt";

    /// <summary>The manifest resource name the csproj gives the checkpoint.</summary>
    public const string ResourceName = "hfb.DefaultModel." + FileName;

    /// <summary>
    /// The recipe: the embedded corpus of 40 synthetic pieces × 6 renditions × builtin and builtin-upright, 3 s clips (the
    /// <c>--stream</c> window), a small encoder (8-16-32-32 channels) with HFI K = 2 and the note comparison with the score
    /// in its shared representation (<c>--notes --notes-local</c>: <see cref="NoteComparisonInput.WithLocalContrasts"/>), the audio part
    /// of z dropped for half the training clips (<c>--modality-dropout 0.5</c>) and <c>hfb feedback</c> deciding from the note
    /// comparison by default (<c>--decide-from notes</c>), published training defaults (AdamW 3·10⁻⁴, batch 32, ≤ 40 epochs,
    /// early stopping), seed 1, tested on 8 unseen pieces (seed 1001).
    /// </summary>
    public static FeedbackTrainingSettings Recipe { get; } = new()
    {
        Pieces = 40, Renditions = 6, ExcerptSeconds = 3, Epochs = 40, Iterations = 2, Channels = [8, 16, 32, 32], Seed = 1, TestPieces = 8, Notes = true,
        LocalNotes = true, ModalityDropout = 0.5, DecideFrom = FeedbackDecision.Notes,
    };

    /// <summary>The recipe as command-line options.</summary>
    public static string RecipeText => Recipe.ToString();

    /// <summary>True when this build of hfb carries the model.</summary>
    public static bool Available => typeof(DefaultFeedbackModel).Assembly.GetManifestResourceInfo(ResourceName) is not null;

    /// <summary>Loads the shipped model; <paramref name="metadata"/> returns its provenance and feature options.</summary>
    /// <exception cref="CheckpointException">This build carries no default model (then <c>--model</c> is needed), or the resource is corrupt.</exception>
    public static HarmoniousFeedbackModel Load(out IReadOnlyDictionary<string, string> metadata)
    {
        using var stream = typeof(DefaultFeedbackModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new CheckpointException($"this build of hfb ships no default feedback model ({FileName}); pass a trained model with --model (hfb feedback-train --out MODEL)");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return HarmoniousFeedbackModel.Load(ms.ToArray(), "hfb default model " + FileName, out metadata);
    }

    /// <summary>The size of the embedded checkpoint in bytes (0 when absent).</summary>
    public static long Size
    {
        get
        {
            using var s = typeof(DefaultFeedbackModel).Assembly.GetManifestResourceStream(ResourceName);
            return s?.Length ?? 0;
        }
    }

    internal static string Describe(IReadOnlyDictionary<string, string> meta) => string.Create(CultureInfo.InvariantCulture,
        $"{FileName} ({meta.GetValueOrDefault(FeedbackTraining.CorpusKey, "?")})");
}
