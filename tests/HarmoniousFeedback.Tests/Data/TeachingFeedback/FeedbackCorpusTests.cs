using System.Text.RegularExpressions;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Midi.Deviations;
using Xunit;

namespace HarmoniousFeedback.Tests.Data.TeachingFeedback;

public class FeedbackCorpusTests
{
    /// <summary>8 synthetic 6 s pieces × 4 renditions: small enough to render in a second or two.</summary>
    private static FeedbackCorpusDraft Small(long seed = 1, int pieces = 8)
        => FeedbackCorpus.Build(SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = pieces }),
                                new FeedbackCorpusOptions { Seed = seed, Plan = new RenditionPlanOptions { Renditions = 4 } });

    private static NamedRenderer[] Builtins() => [.. FeedbackRenderers.EmbeddedDefault.Select(n => FeedbackRenderers.Create(n))];

    [Fact]
    public void Build_cuts_one_excerpt_per_piece_and_plans_the_renditions_with_labels()
    {
        var draft = Small();
        Assert.Equal(8, draft.References.Count);
        Assert.Equal(32, draft.Renditions.Count);
        Assert.Equal(8, draft.Renditions.Count(r => r.Plan.Clean));
        Assert.All(draft.References, r => Assert.Equal(6, r.Seconds));
        Assert.All(draft.Renditions, r => Assert.Equal(r.Labels.Scores.DominantIssue(0.7), r.Labels.DominantIssue));
        Assert.All(draft.Renditions.Where(r => r.Plan.Clean), r => Assert.Equal("none", r.Labels.DominantIssue));
        // The synthetic source gives latent valence/arousal; the references carry them as the intended emotion.
        var source = SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = 8 });
        Assert.All(draft.References, r => Assert.Equal(source.Clips.Single(c => c.Id == r.SourceId).Valence, r.IntendedValence));
    }

    [Fact]
    public void Ids_groups_and_file_names_carry_no_label()
    {
        var dir = TestPaths.TempDir();
        var draft = Small(pieces: 12);
        FeedbackCorpusPreparer.Prepare(draft, Builtins(), new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        var fb = FeedbackCorpus.Load(dir);
        var words = FeedbackDimensions.IssueClasses.Concat(DeviationKinds.All.Select(DeviationKinds.Name)).Concat(["clean", "Q1", "Q2", "Q3", "Q4", "syn", "song"]);
        var names = fb.Dataset.Clips.SelectMany(c => new[] { c.Id, c.GroupId, Path.GetFileName(c.AudioPath!), Path.GetFileName(c.MidiPath!), Path.GetFileName(c.ReferenceAudioPath!) })
            .Concat(fb.Renditions.Select(r => r.Id)).Concat(fb.References.Select(r => r.Id)).ToArray();
        Assert.All(names, n => Assert.DoesNotContain(words, w => n.Contains(w, StringComparison.OrdinalIgnoreCase)));
        Assert.All(fb.Dataset.Clips, c => Assert.Matches(new Regex("^fb[0-9]{5}$"), c.Id));
        Assert.All(fb.Dataset.Clips, c => Assert.Matches(new Regex("^g[0-9]{4}$"), c.GroupId));
        // Rendition ids are shuffled across references: the clean one is not at a fixed position among its reference's renditions.
        var positions = fb.Renditions.GroupBy(r => r.Reference)
            .Select(g => g.OrderBy(r => r.Id, StringComparer.Ordinal).Select((r, i) => (r, i)).Single(x => x.r.Clean).i).Distinct().Count();
        Assert.True(positions >= 3, $"the clean rendition sits at only {positions} distinct positions");
        // Clip ids are shuffled too: the clips of one rendition are not numbered together.
        int adjacent = fb.Renditions.Count(r => Math.Abs(int.Parse(r.Clips["builtin"][2..]) - int.Parse(r.Clips["builtin-upright"][2..])) == 1);
        Assert.True(adjacent <= 6, $"{adjacent} of {fb.Renditions.Count} renditions have adjacent clip ids"); // ≈ 2·48/96 = 1 expected by chance
    }

    [Fact]
    public void Prepared_corpus_loads_with_targets_spans_and_reference_audio_and_a_second_run_renders_nothing()
    {
        var dir = TestPaths.TempDir();
        var counting = FeedbackRenderers.EmbeddedDefault.Select(n => new CountingRenderer(FeedbackRenderers.Create(n).Renderer)).ToArray();
        NamedRenderer[] renderers = [new("builtin", counting[0]), new("builtin-upright", counting[1])];
        var draft = Small();
        var first = FeedbackCorpusPreparer.Prepare(draft, renderers, new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        Assert.Equal(2 * (8 + 32), counting.Sum(c => c.Calls)); // every reference and rendition, by each renderer
        Assert.False(first.UpToDate);

        var fb = FeedbackCorpus.Load(dir);
        Assert.Equal(64, fb.Dataset.Clips.Count);
        Assert.Equal(FeedbackDimensions.IssueClasses, fb.Dataset.ClassNames);
        foreach (var clip in fb.Dataset.Clips)
        {
            var rendition = fb.RenditionOf(clip);
            Assert.Equal(rendition.DominantIssue, clip.Label);
            Assert.Equal(rendition.Scores["tempo"], clip.Targets!["tempo"]);
            Assert.Equal(rendition.Emotion["engagement"], clip.Targets["engagement"]);
            Assert.Equal(clip.Id, rendition.Clips[clip.Renderer!]);
            Assert.Equal(fb.ReferenceAudioPath(fb.ReferenceOf(clip), clip.Renderer!), clip.ReferenceAudioPath);
            Assert.True(File.Exists(clip.ReferenceAudioPath) && File.Exists(clip.ReferenceMidiPath) && File.Exists(clip.MidiPath));
            var audio = clip.LoadAudio();
            Assert.Equal(16000, audio.SampleRate);
            Assert.True(audio.DurationSeconds >= rendition.Seconds - 0.5); // the excerpt (minus a short last note) plus the release tail
            Assert.All(rendition.Deviations, d => Assert.True(d.Start >= 0 && d.End <= rendition.Seconds + 1e-6 && d.End > d.Start));
        }
        var draftById = draft.Renditions.ToDictionary(r => r.Id);
        Assert.All(fb.Renditions, r => Assert.Equal(draftById[r.Id].Labels.Deviations.Select(d => d.Deviation.Span.Start).Select(x => Math.Round(x, 6)), r.Deviations.Select(d => d.Start)));

        var manifestTime = File.GetLastWriteTimeUtc(Path.Combine(dir, Manifest.FileName));
        var second = FeedbackCorpusPreparer.Prepare(Small(), renderers, new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        Assert.True(second.UpToDate);
        Assert.Equal(80, counting.Sum(c => c.Calls));
        Assert.Equal(manifestTime, File.GetLastWriteTimeUtc(Path.Combine(dir, Manifest.FileName)));
    }

    [Fact]
    public void Same_seed_gives_the_same_corpus_hash_in_another_folder_and_another_seed_another()
    {
        var cache = TestPaths.TempDir();
        string Hash(long seed) => FeedbackCorpusPreparer.Prepare(Small(seed, pieces: 4), Builtins(),
            new PrepareOptions { OutputDirectory = TestPaths.TempDir(), CacheDirectory = cache, Threads = 2 }).Labels.CorpusHash;
        string a = Hash(1);
        Assert.Equal(a, Hash(1));
        Assert.NotEqual(a, Hash(2));
        // Threads do not change the result.
        var one = FeedbackCorpus.Build(SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = 4 }),
                                       new FeedbackCorpusOptions { Plan = new RenditionPlanOptions { Renditions = 4 }, Threads = 1 });
        Assert.Equal(a, FeedbackCorpusPreparer.Prepare(one, Builtins(), new PrepareOptions { OutputDirectory = TestPaths.TempDir(), CacheDirectory = cache, Threads = 1 }).Labels.CorpusHash);
    }

    [Fact]
    public void Hold_out_keeps_the_test_groups_and_the_test_renderer_out_of_training()
    {
        var dir = TestPaths.TempDir();
        FeedbackCorpusPreparer.Prepare(Small(pieces: 12), Builtins(), new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        var fb = FeedbackCorpus.Load(dir);
        var split = fb.HoldOut("builtin-upright", testGroupFraction: 0.3, seed: 4);
        int groups = fb.Dataset.Clips.Select(c => c.GroupId).Distinct().Count();
        Assert.Equal(Math.Clamp((int)Math.Round(0.3 * groups, MidpointRounding.AwayFromZero), 1, groups - 1), split.TestGroups.Count);
        Assert.All(split.Test, c => Assert.True(c.Renderer == "builtin-upright" && split.TestGroups.Contains(c.GroupId)));
        Assert.All(split.Train, c => Assert.True(c.Renderer == "builtin" && !split.TestGroups.Contains(c.GroupId)));
        Assert.Equal(fb.RenderedBy("builtin-upright").Count(c => split.TestGroups.Contains(c.GroupId)), split.Test.Count);
        var e = Assert.Throws<OptionsValidationException>(() => fb.HoldOut("fluidsynth", 0));
        Assert.Equal(2, e.Problems.Count); // unknown renderer and fraction outside (0, 1), reported together
    }

    [Fact]
    public void Hand_edited_labels_and_a_label_file_of_another_manifest_are_rejected()
    {
        var dir = TestPaths.TempDir();
        FeedbackCorpusPreparer.Prepare(Small(pieces: 4), Builtins(), new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        var path = Path.Combine(dir, FeedbackLabelsFile.FileName);
        var good = File.ReadAllText(path);
        File.WriteAllText(path, Regex.Replace(good, "\"dominantIssue\": \"[a-z]+\"", "\"dominantIssue\": \"pitch\""));
        Assert.Contains("labelsHash", Assert.Throws<DatasetException>(() => FeedbackCorpus.Load(dir)).Message);
        var other = TestPaths.TempDir();
        FeedbackCorpusPreparer.Prepare(Small(seed: 2, pieces: 4), Builtins(), new PrepareOptions { OutputDirectory = other, Threads = 2 });
        File.Copy(Path.Combine(other, FeedbackLabelsFile.FileName), path, overwrite: true);
        Assert.Contains("was written for manifest", Assert.Throws<DatasetException>(() => FeedbackCorpus.Load(dir)).Message);
    }

    [Fact]
    public void Both_builtin_voicings_render_the_same_rendition_with_different_spectra()
    {
        // The model reads log-mel spectrograms: compare the shapes of the time-averaged log-mel spectra (dB, 64 bands) of the
        // two renders — the spread over bands of their difference, so that a mere gain change (a constant offset) counts 0.
        var logMel = new HarmoniousFeedback.Features.LogMelSpectrogram();
        double[] MeanSpectrum(AudioClip clip)
        {
            var m = logMel.Compute(clip);
            return [.. Enumerable.Range(0, m.Columns).Select(b => Enumerable.Range(0, m.Rows).Average(i => (double)m[i, b]))];
        }
        var gaps = Small(pieces: 4).Renditions.Take(4).Select(r =>
        {
            var a = MeanSpectrum(FeedbackRenderers.Create("builtin").Renderer.Render(r.Score, null));
            var b = MeanSpectrum(FeedbackRenderers.Create("builtin-upright").Renderer.Render(r.Score, null));
            var d = a.Zip(b, (x, y) => x - y).ToArray();
            return Math.Sqrt(d.Average(x => Math.Pow(x - d.Average(), 2)));
        }).ToArray();
        // Measured 3.85, 4.39, 4.19, 4.65 dB for these four renditions; require half of the smallest.
        Assert.All(gaps, g => Assert.True(g > 2, $"spread of Δ log-mel over bands = {g:F2} dB"));
    }

    [Fact]
    public void Renderer_list_needs_two_known_distinct_names()
    {
        var e = Assert.Throws<OptionsValidationException>(() => FeedbackRenderers.Parse("builtin,timidity,builtin"));
        Assert.Contains(e.Problems, p => p.Contains("'timidity'"));
        Assert.Contains(e.Problems, p => p.Contains("twice"));
        Assert.Throws<OptionsValidationException>(() => FeedbackRenderers.Parse("builtin"));
    }

    [HarmoniousFeedback.Tests.Midi.Rendering.FluidSynthFact]
    public void FluidSynth_renders_every_reference_and_rendition_beside_the_builtin_synthesizer()
    {
        var dir = TestPaths.TempDir();
        var draft = FeedbackCorpus.Build(SyntheticCorpus.Create(FeedbackCorpus.EmbeddedSourceOptions with { Clips = 4 }),
                                         new FeedbackCorpusOptions { MaxPieces = 2, Plan = new RenditionPlanOptions { Renditions = 2 } });
        FeedbackCorpusPreparer.Prepare(draft, FeedbackRenderers.Parse("builtin,fluidsynth"), new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        var fb = FeedbackCorpus.Load(dir);
        Assert.Equal(["builtin", "fluidsynth"], fb.Renderers);
        Assert.Equal(4, fb.RenderedBy("fluidsynth").Count);
        Assert.All(fb.RenderedBy("fluidsynth"), c =>
        {
            var audio = c.LoadAudio();
            Assert.Equal(16000, audio.SampleRate);
            Assert.True(audio.Channels[0].Max(MathF.Abs) > 0.01f);
            Assert.EndsWith(".fluidsynth.wav", c.ReferenceAudioPath);
        });
        Assert.StartsWith("fluidsynth/", fb.Labels.Renderers["fluidsynth"]);
    }

    [SharedDataFact]
    public void Emopia_and_vgmidi_pieces_become_references_with_their_quadrant_signs_as_intended_emotion()
    {
        var o = new FeedbackCorpusOptions { MaxPieces = 6, Plan = new RenditionPlanOptions { Renditions = 2 } };
        var emopia = FeedbackCorpus.Build(EmopiaDataset.Load(TestPaths.Shared("datasets", "emopia")), o);
        Assert.Equal(6, emopia.References.Count);
        Assert.Equal(6, emopia.References.Select(r => r.SourceGroup).Distinct().Count()); // one piece per song first
        foreach (var r in emopia.References)
        {
            Assert.Equal(r.SourceId[..2], r.Quadrant);
            Assert.Equal(r.Quadrant is "Q1" or "Q4" ? 1 : -1, r.IntendedValence);
            Assert.Equal(r.Quadrant is "Q1" or "Q2" ? 1 : -1, r.IntendedArousal);
            Assert.True(r.Score.Notes.Count >= o.MinNotes);
            Assert.All(r.Score.Notes, n => Assert.InRange(n.Onset, 0, 6));
        }
        var vg = FeedbackCorpus.Build(VgmidiDataset.Load(TestPaths.Shared("datasets", "vgmidi")), o);
        Assert.Equal(6, vg.References.Count);
        Assert.All(vg.References, r => Assert.Equal(VgmidiDataset.Quadrant(r.IntendedValence, r.IntendedArousal), r.Quadrant));
    }
}
