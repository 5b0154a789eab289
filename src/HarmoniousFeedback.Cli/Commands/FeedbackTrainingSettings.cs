using System.Globalization;
using HarmoniousFeedback.Models.TeachingFeedback;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>What <c>hfb feedback-train</c> trains: the corpus (pieces × renditions × two renderers, clip length) and the network.</summary>
public sealed record FeedbackTrainingSettings
{
    /// <summary>Synthetic reference pieces of the training corpus, 4 – 400. Default 40 (as <c>experiments/hfn-hfi.json</c>).</summary>
    public int Pieces { get; init; } = 40;

    /// <summary>Student renditions per piece (the first clean), 1 – 64. Default 6.</summary>
    public int Renditions { get; init; } = 6;

    /// <summary>Clip length (s), 2 – 60. Default 6 (the corpus default).</summary>
    public double ExcerptSeconds { get; init; } = 6;

    /// <summary>Maximum epochs (early stopping on a song-grouped 15 % validation split). Default 40 (published).</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>K, HFI iterations; 0 = HFN alone. Default 2.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>Encoder channels per block. Default 16, 32, 64, 64 (published).</summary>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32, 64, 64];

    /// <summary>Seed of the corpus and of the training; the test corpus uses <c>Seed + 1000</c>. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Synthetic pieces of the test corpus (never trained on, another seed), 0 – 400; 0 = no test. Default 8.</summary>
    public int TestPieces { get; init; } = 8;

    /// <summary>The score comparison's pitch-class profile (<see cref="Features.ReferenceAlignmentOptions.PitchProfile"/>). Default chroma.</summary>
    public Features.PitchProfile PitchProfile { get; init; } = Features.PitchProfile.Chroma;

    /// <summary>The score comparison's tail trim in dB (<see cref="Features.ReferenceAlignmentOptions.TailDb"/>), 1 – 120; null (default) = off.</summary>
    public double? TailDb { get; init; }

    /// <summary>Renderers of every rendition (comma-separated, at least two, as <c>hfb data prepare feedback --renderers</c>; FluidSynth is not allowed here: the corpus must build on a fresh machine). Default builtin,builtin-upright.</summary>
    public string Renderers { get; init; } = "builtin,builtin-upright";

    /// <summary>Also read the note comparison with the score (<see cref="NoteComparisonInput.ForUnseenInstruments"/>: the 41 measures without the duration and unexplained-onset ones) into z. Default false.</summary>
    public bool Notes { get; init; }

    /// <summary>With <see cref="Notes"/>, also the local contrasts (<see cref="NoteComparisonInput.WithLocalContrasts"/>: 58 measures). Default false.</summary>
    public bool LocalNotes { get; init; }

    /// <summary>Probability of dropping a training clip's audio part of z (<see cref="HarmoniousFeedbackNetworkOptions.ModalityDropout"/>), in [0, 1); needs <see cref="Notes"/>. Default 0.</summary>
    public double ModalityDropout { get; init; }

    /// <summary>What <c>hfb feedback</c> decides from by default (recorded as <c>feedback.decideFrom</c>; the validation and test metrics are measured so); <see cref="FeedbackDecision.Notes"/> needs <see cref="Notes"/>. Default all.</summary>
    public FeedbackDecision DecideFrom { get; init; }

    /// <summary>The measures the model reads (null without <see cref="Notes"/>).</summary>
    public IReadOnlyList<string>? NoteMeasures => !Notes ? null : LocalNotes ? NoteComparisonInput.WithLocalContrasts : NoteComparisonInput.ForUnseenInstruments;

    public void Validate()
    {
        var v = new OptionsValidator("feedback-train");
        v.InRange("--pieces", Pieces, 4, 400);
        v.InRange("--renditions", Renditions, 1, 64);
        v.InRange("--excerpt-seconds", ExcerptSeconds, 2, 60);
        v.InRange("--epochs", Epochs, 1, 100_000);
        v.InRange("--iterations", Iterations, 0, 16);
        v.InRange("--test-pieces", TestPieces, 0, 400);
        if (TailDb is double tail) v.InRange("--tail-db", tail, 1, 120);
        v.Check(!LocalNotes || Notes, "--notes-local adds the local contrasts to the note comparison: give --notes too");
        v.Check(ModalityDropout is >= 0 and < 1, $"--modality-dropout {ModalityDropout.ToString(CultureInfo.InvariantCulture)} must be in [0, 1)");
        v.Check(DecideFrom != FeedbackDecision.Notes || Notes, "--decide-from notes decides from the note comparison: give --notes too");
        v.Check(ModalityDropout == 0 || Notes, "--modality-dropout drops the audio part so that the model learns to decide from the note comparison: give --notes too");
        try
        {
            var names = Data.TeachingFeedback.FeedbackRenderers.Parse(Renderers).Select(r => r.Name).ToArray();
            v.Check(!names.Contains("fluidsynth"), $"--renderers {Renderers}: fluidsynth needs an installed synthesizer and sound font; train on the built-in renderers (builtin, builtin-upright, builtin-varied)");
        }
        catch (OptionsValidationException e) { foreach (var p in e.Problems) v.Check(false, "--renderers: " + p); }
        v.ThrowIfAny();
    }

    /// <summary>The network options: <see cref="Channels"/> and HFI with <see cref="Iterations"/> (none at 0), the rest published defaults.</summary>
    public HarmoniousFeedbackNetworkOptions Network => new()
    {
        Channels = Channels.ToArray(),
        ModalityDropout = ModalityDropout,
        Integration = Iterations > 0 ? new FeedbackIntegrationOptions { Iterations = Iterations } : null,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"--pieces {Pieces} --renditions {Renditions} --excerpt-seconds {ExcerptSeconds} --epochs {Epochs} --iterations {Iterations} --channels {string.Join(",", Channels)} --seed {Seed} --test-pieces {TestPieces}{(PitchProfile == Features.PitchProfile.Chroma ? "" : " --pitch-profile " + PitchProfile.ToString().ToLowerInvariant())}{(TailDb is double t ? " --tail-db " + t.ToString(CultureInfo.InvariantCulture) : "")}{(Notes ? " --notes" : "")}{(LocalNotes ? " --notes-local" : "")}{(ModalityDropout > 0 ? " --modality-dropout " + ModalityDropout.ToString(CultureInfo.InvariantCulture) : "")}{(DecideFrom == FeedbackDecision.Notes ? " --decide-from notes" : "")}{(Renderers == "builtin,builtin-upright" ? "" : " --renderers " + Renderers)}");
}
