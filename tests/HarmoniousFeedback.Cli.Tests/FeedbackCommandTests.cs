using System.Text.Json.Nodes;
using System.Xml.Linq;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Cli.Commands;
using HarmoniousFeedback.Data.TeachingFeedback;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.Models.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class FeedbackCommandTests
{
    // One tiny model for the class: 4 pieces × 2 renditions × 2 renderers of 3 s, a 2-block 4/8-channel encoder, 1 epoch,
    // tested on 4 unseen pieces. It checks the command's plumbing and output format, not the model's accuracy.
    private static readonly string[] TinyRecipe = ["--pieces", "4", "--renditions", "2", "--epochs", "1", "--channels", "4,8", "--iterations", "1",
        "--excerpt-seconds", "3", "--test-pieces", "4"];

    private static readonly Lazy<(string Model, string Data)> Trained = new(() =>
    {
        var root = Hfb.TempDir();
        string model = Path.Combine(root, "tiny.hfbckpt"), data = Path.Combine(root, "data");
        var r = Hfb.Run(["feedback-train", "--out", model, "--data", data, "--threads", "1", .. TinyRecipe]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        return (model, data);
    });

    // A 12 s score (a note every 0.25 s, pitches drawn from two octaves) and a student recording of it whose notes in
    // 6–9 s (window 2 of 3 s) are a tritone off: wrong notes in one window only.
    private static readonly Lazy<(string Score, string Student, string Dir)> Melody = new(() =>
    {
        var dir = Hfb.TempDir();
        MidiScore Score(bool wrong)
        {
            var rng = new SplitMix64(SplitMix64.StateFromSeed(7));
            var notes = Enumerable.Range(0, 48).Select(k =>
            {
                double on = k * 0.25;
                int pitch = 55 + (int)(rng.NextDouble() * 24) + (wrong && on is >= 6 and < 9 ? 6 : 0);
                return new MidiNote(on, on + 0.22, pitch, 80, 0, on + 0.22);
            }).ToArray();
            return new MidiScore { Notes = notes, Tempos = [], TimeSignatures = [], Controls = [] };
        }
        string score = Path.Combine(dir, "score.mid"), student = Path.Combine(dir, "student.wav");
        MidiWriter.Write(score, Score(false));
        WavWriter.Write(student, new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 16000 }).Render(Score(true)));
        return (score, student, dir);
    });

    /// <summary>hfb with <paramref name="args"/> fails with exit code 2 and one stderr line containing <paramref name="expected"/>.</summary>
    private static void AssertOneLineError(string[] args, string expected)
    {
        var r = Hfb.Run(args);
        Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit {r.ExitCode}, {r.StdErr}");
        Assert.Contains(expected, r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    private static (string Audio, string Score) AClip()
    {
        var fb = FeedbackDataset.Load(Directory.GetDirectories(Trained.Value.Data, "feedback-synthetic4-s1-*").Single());
        var clip = fb.Dataset.Clips[0];
        return (clip.AudioPath!, clip.ReferenceMidiPath!);
    }

    [Fact]
    public void A_model_recorded_with_crp_and_a_tail_trim_is_compared_with_its_score_the_same_way()
    {
        // the alignment options a model was trained with travel in its metadata; absent keys mean the defaults
        var model = HarmoniousFeedbackModel.Load(Trained.Value.Model, out var meta);
        Assert.Equal(PitchProfile.Chroma, FeedbackCommand.LoadModel(Trained.Value.Model).View.ToAlignmentOptions().PitchProfile);
        Assert.Null(FeedbackCommand.LoadModel(Trained.Value.Model).View.ToAlignmentOptions().TailDb);

        var path = Path.Combine(Hfb.TempDir(), "crp.hfbckpt");
        model.Save(path, new Dictionary<string, string>(meta) { [FeedbackCommand.PitchProfileKey] = "crp", [FeedbackCommand.TailDbKey] = "30" });
        var options = FeedbackCommand.LoadModel(path).View.ToAlignmentOptions();
        Assert.Equal(PitchProfile.Crp, options.PitchProfile);
        Assert.Equal(30.0, options.TailDb);

        var bad = Path.Combine(Hfb.TempDir(), "bad.hfbckpt");
        model.Save(bad, new Dictionary<string, string>(meta) { [FeedbackCommand.PitchProfileKey] = "cqt" });
        var (audio, score) = AClip();
        var r = Hfb.Run("feedback", audio, "--reference", score, "--model", bad);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("alignment.pitchProfile = 'cqt' is not one of chroma, crp", r.StdErr);
    }

    [Fact]
    public void A_model_with_note_features_reads_the_note_comparison_whole_and_streamed_and_needs_its_measures_recorded()
    {
        var path = Path.Combine(Hfb.TempDir(), "notes.hfbckpt");
        var r = Hfb.Run(["feedback-train", "--out", path, "--data", Trained.Value.Data, "--threads", "1", "--notes", .. TinyRecipe]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var model = HarmoniousFeedbackModel.Load(path, out var meta);
        Assert.Equal(NoteComparisonInput.ForUnseenInstruments.Count, model.NoteFeatures);
        Assert.Equal(ScoreInformedComparison.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), meta[NoteComparisonInput.VersionKey]);
        Assert.Contains("--notes", meta["trained.settings"]);

        var (audio, score) = AClip();
        var loaded = FeedbackCommand.LoadModel(path);
        Assert.Equal(NoteComparisonInput.ForUnseenInstruments, loaded.Notes!.Measures);
        var (example, _, _, _) = FeedbackCommand.Analyse(audio, score, loaded, withAttention: false);
        Assert.Equal(model.NoteFeatures, example.Notes!.Length);
        Assert.Contains(example.Notes, v => v != 0);
        var json = Hfb.Run("feedback", audio, "--reference", score, "--model", path, "--json");
        Assert.True(json.ExitCode == 0, json.StdErr);
        Assert.NotNull(JsonNode.Parse(json.StdOut)!["dimensions"]);
        var windows = FeedbackCommand.Stream(audio, score, loaded, new StreamingFeedbackOptions { WindowSeconds = 1.5 }, withAttention: false).ToList();
        Assert.NotEmpty(windows);
        Assert.All(windows, w => Assert.Equal(model.NoteFeatures, w.Example.Notes!.Length));

        var unnamed = Path.Combine(Hfb.TempDir(), "unnamed.hfbckpt");
        model.Save(unnamed, meta.Where(kv => kv.Key != NoteComparisonInput.MeasuresKey).ToDictionary());
        AssertOneLineError(["feedback", audio, "--reference", score, "--model", unnamed], NoteComparisonInput.MeasuresKey);
        var older = Path.Combine(Hfb.TempDir(), "older.hfbckpt");
        model.Save(older, new Dictionary<string, string>(meta) { [NoteComparisonInput.VersionKey] = "1" });
        AssertOneLineError(["feedback", audio, "--reference", score, "--model", older], "note comparison version 1");
        // version 9 hears notes at a smaller rise: a model trained on version 8 would read other values, and is refused
        var v8 = Path.Combine(Hfb.TempDir(), "v8.hfbckpt");
        model.Save(v8, new Dictionary<string, string>(meta) { [NoteComparisonInput.VersionKey] = "8" });
        AssertOneLineError(["feedback", audio, "--reference", score, "--model", v8], "note comparison version 8");
        // deciding from the notes with a model trained without modality dropout works, with a warning
        var warned = Hfb.Run("feedback", audio, "--reference", score, "--model", path, "--decide-from", "notes", "--json");
        Assert.True(warned.ExitCode == 0, warned.StdErr);
        Assert.Contains("trained without modality dropout", warned.StdErr);
        Assert.Equal("notes", JsonNode.Parse(warned.StdOut)!["decided_from"]!.GetValue<string>());
    }

    [Fact]
    public void Local_note_contrasts_modality_dropout_and_deciding_from_the_notes_train_a_model_that_records_them_and_each_needs_notes()
    {
        var path = Path.Combine(Hfb.TempDir(), "local.hfbckpt");
        var r = Hfb.Run(["feedback-train", "--out", path, "--data", Trained.Value.Data, "--threads", "1", "--notes", "--notes-local", "--modality-dropout", "0.5", "--decide-from", "notes", .. TinyRecipe]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var model = HarmoniousFeedbackModel.Load(path, out var meta);
        Assert.Equal(NoteComparisonInput.WithLocalContrasts.Count, model.NoteFeatures);
        Assert.Equal(0.5, model.Options.ModalityDropout);
        Assert.Contains("--notes-local --modality-dropout 0.5 --decide-from notes", meta["trained.settings"]);
        Assert.Equal("notes", meta[FeedbackCommand.DecideFromKey]);
        var (audio, score) = AClip();
        var loaded = FeedbackCommand.LoadModel(path);
        Assert.Equal(NoteComparisonInput.WithLocalContrasts, loaded.Notes!.Measures);
        Assert.True(loaded.NotesOnly);
        var json = Hfb.Run("feedback", audio, "--reference", score, "--model", path, "--json");
        Assert.True(json.ExitCode == 0, json.StdErr);
        Assert.Equal("notes", JsonNode.Parse(json.StdOut)!["decided_from"]!.GetValue<string>());
        var all = Hfb.Run("feedback", audio, "--reference", score, "--model", path, "--json", "--decide-from", "all");
        Assert.True(all.ExitCode == 0, all.StdErr);
        Assert.Equal("all", JsonNode.Parse(all.StdOut)!["decided_from"]!.GetValue<string>());
        var (_, fromNotes, _, _) = FeedbackCommand.Analyse(audio, score, loaded, withAttention: false);
        var (_, fromAll, _, _) = FeedbackCommand.Analyse(audio, score, loaded.DecidingFrom(FeedbackDecision.All), withAttention: false);
        Assert.NotEqual(fromAll.IssueProbabilities, fromNotes.IssueProbabilities);
        var text = Hfb.Run("feedback", audio, "--reference", score, "--model", path);
        Assert.Contains("decided from the note comparison alone", text.StdOut);
        Assert.DoesNotContain("warning", text.StdErr);
        var streamed = Hfb.Run("feedback", audio, "--reference", score, "--model", path, "--json", "--stream", "--window-seconds", "1.5");
        Assert.True(streamed.ExitCode == 0, streamed.StdErr);
        Assert.All(streamed.StdOut.Trim().Split('\n'), line => Assert.Equal("notes", JsonNode.Parse(line)!["decided_from"]!.GetValue<string>()));
        Assert.All(streamed.StdOut.Trim().Split('\n'), line => Assert.Equal("notes", JsonNode.Parse(line)!["issues_from"]!.GetValue<string>()));
        var streamedFrames = Hfb.Run("feedback", audio, "--reference", score, "--model", path, "--json", "--stream", "--window-seconds", "1.5", "--locate-from", "frames");
        Assert.True(streamedFrames.ExitCode == 0, streamedFrames.StdErr);
        Assert.All(streamedFrames.StdOut.Trim().Split('\n'), line => Assert.Equal("frames", JsonNode.Parse(line)!["issues_from"]!.GetValue<string>()));
        var located = FeedbackCommand.Stream(audio, score, loaded, new StreamingFeedbackOptions { WindowSeconds = 1.5 }, withAttention: false).ToList();
        Assert.All(located, w => Assert.All(w.NoteIssues!, s => Assert.True(s.Start >= w.Start - 1e-9 && s.End <= w.End + 1e-9, $"{s} outside window {w.Start}–{w.End}")));
        AssertOneLineError(["feedback", audio, "--reference", score, "--model", Trained.Value.Model, "--decide-from", "notes"], "reads no note comparison");

        // the note issue locator, calibrated on the training corpus, places the issues by default; --locate-from frames does not
        Assert.Contains(NoteIssueLocator.MetadataKey, meta.Keys);
        Assert.Contains("note issue locator, calibrated on", r.StdErr);
        Assert.True(loaded.LocatesFromNotes);
        Assert.Equal(NoteIssueLocator.MeasureDimensions.Count, loaded.Locator!.Calibration.Count);
        Assert.Equal("notes", JsonNode.Parse(json.StdOut)!["issues_from"]!.GetValue<string>());
        var (_, prediction, _, noteIssues) = FeedbackCommand.Analyse(audio, score, loaded, withAttention: false);
        Assert.NotNull(noteIssues);
        Assert.All(noteIssues, s => Assert.True(s.Start >= 0 && s.End > s.Start && s.Severity is >= 0 and <= 1, s.ToString()));
        Assert.Equal(noteIssues, FeedbackCommand.Report(prediction, null, noteIssues).Issues);
        Assert.Null(FeedbackCommand.Analyse(audio, score, loaded.LocatingFrom(FeedbackLocation.Frames), withAttention: false).NoteIssues);
        var frames = Hfb.Run("feedback", audio, "--reference", score, "--model", path, "--json", "--locate-from", "frames");
        Assert.True(frames.ExitCode == 0, frames.StdErr);
        Assert.Equal("frames", JsonNode.Parse(frames.StdOut)!["issues_from"]!.GetValue<string>());
        AssertOneLineError(["feedback", audio, "--reference", score, "--model", Trained.Value.Model, "--locate-from", "notes"], "records no calibration");
        var uncalibrated = Path.Combine(Hfb.TempDir(), "uncalibrated.hfbckpt");
        model.Save(uncalibrated, meta.Where(kv => kv.Key != NoteIssueLocator.MetadataKey).ToDictionary());
        Assert.False(FeedbackCommand.LoadModel(uncalibrated).LocatesFromNotes);     // a model trained before: the frames, as then
        var broken = Path.Combine(Hfb.TempDir(), "broken.hfbckpt");
        model.Save(broken, new Dictionary<string, string>(meta) { [NoteIssueLocator.MetadataKey] = "{\"local_slips_max\": [1]}" });
        AssertOneLineError(["feedback", audio, "--reference", score, "--model", broken], NoteIssueLocator.MetadataKey);
        AssertOneLineError(["feedback-train", "--out", path, "--decide-from", "notes", .. TinyRecipe], "give --notes too");
        AssertOneLineError(["feedback-train", "--out", path, "--notes-local", .. TinyRecipe], "give --notes too");
        AssertOneLineError(["feedback-train", "--out", path, "--modality-dropout", "0.5", .. TinyRecipe], "give --notes too");
        AssertOneLineError(["feedback-train", "--out", path, "--notes", "--modality-dropout", "1", .. TinyRecipe], "--modality-dropout 1 must be in [0, 1)");
    }

    [Fact]
    public void Feedback_json_has_the_six_dimensions_the_dominant_issue_the_issues_the_emotion_and_the_text()
    {
        var (audio, score) = AClip();
        var r = Hfb.Run("feedback", audio, "--reference", score, "--model", Trained.Value.Model, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var json = JsonNode.Parse(r.StdOut)!.AsObject();
        var dims = json["dimensions"]!.AsObject();
        Assert.Equal(["pitch", "rhythm", "tempo", "dynamics", "articulation", "completeness"], dims.Select(kv => kv.Key));
        Assert.All(dims, kv => Assert.InRange(kv.Value!.GetValue<double>(), 0, 1)); // sigmoid outputs
        Assert.Contains(json["dominant_issue"]!.GetValue<string>(), new[] { "pitch", "rhythm", "tempo", "dynamics", "articulation", "completeness", "none" });
        foreach (var issue in json["issues"]!.AsArray())
        {
            Assert.True(issue!["end"]!.GetValue<double>() > issue["start"]!.GetValue<double>());
            Assert.InRange(issue["severity"]!.GetValue<double>(), 0.3, 1); // spans are runs of frame scores above 0.3
        }
        Assert.Equal(6, json["emotion"]!.AsObject().Count);
        Assert.False(string.IsNullOrWhiteSpace(json["text"]!.GetValue<string>()));
        // a corpus rendition of its own score (planted deviations included) follows it: mean alignment cost ≤ 0.15 measured (docs/feedback.md)
        Assert.True(json["reference"]!["matched"]!.GetValue<bool>());
        Assert.InRange(json["reference"]!["cost"]!.GetValue<double>(), 0, 0.25);
        Assert.InRange(json["reference"]!["contrast"]!.GetValue<double>(), 0.3, 1);     // far cheaper with the score than with its transpositions

        var text = Hfb.Run("feedback", audio, "--score", score, "--model", Trained.Value.Model);
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains("dimension scores (1 = as the score asks):", text.StdOut);
        Assert.Contains($"dominant issue: {json["dominant_issue"]!.GetValue<string>()}", text.StdOut);
    }

    [Fact]
    public void Feedback_warns_when_the_recording_does_not_follow_the_score_and_marks_silent_stream_windows()
    {
        var (score, _, dir) = Melody.Value;
        // the score's own rendition, but every note a tritone off: nothing of it is in the score
        var notes = MidiReader.Read(score).Notes.Select(n => n with { Pitch = n.Pitch + 6 }).ToArray();
        string other = Path.Combine(dir, "tritone.wav");
        WavWriter.Write(other, new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 16000 })
            .Render(new MidiScore { Notes = notes, Tempos = [], TimeSignatures = [], Controls = [] }));
        var r = Hfb.Run("feedback", other, "--reference", score, "--model", Trained.Value.Model, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var json = JsonNode.Parse(r.StdOut)!.AsObject();
        Assert.False(json["reference"]!["matched"]!.GetValue<bool>());
        Assert.True(json["reference"]!["cost"]!.GetValue<double>() > 0.25);
        Assert.StartsWith("Warning: the recording does not seem to follow the score", json["text"]!.GetValue<string>());

        // white noise: with librosa chroma DTW finds a cheap path through it (the cost alone would pass it), but with any
        // profile it aligns no better with the score than with the score transposed
        var rng = new Random(4);
        string noise = Path.Combine(dir, "noise.wav");
        WavWriter.Write(noise, new AudioClip([.. Enumerable.Range(0, 8 * 16000).Select(_ => (float)(0.3 * (rng.NextDouble() - 0.5)))], 16000));
        var n = Hfb.Run("feedback", noise, "--reference", score, "--model", Trained.Value.Model, "--json");
        Assert.True(n.ExitCode == 0, n.StdErr);
        var nj = JsonNode.Parse(n.StdOut)!.AsObject();
        Assert.False(nj["reference"]!["matched"]!.GetValue<bool>());
        Assert.True(nj["reference"]!["contrast"]!.GetValue<double>() < 0.3, nj.ToJsonString());
        Assert.StartsWith("Warning: the recording does not seem to follow the score", nj["text"]!.GetValue<string>());

        // 3 s of the rendition, 3 s of silence, 3 s more: the middle window is reported as silent, without scores
        var played = WavReader.Read(other, mono: true).Channels[0];
        var gap = new float[9 * 16000];
        played.AsSpan(0, 3 * 16000).CopyTo(gap);
        played.AsSpan(3 * 16000, 3 * 16000).CopyTo(gap.AsSpan(6 * 16000));
        string gapped = Path.Combine(dir, "gap.wav");
        WavWriter.Write(gapped, new AudioClip(gap, 16000));
        var s = Hfb.Run("feedback", gapped, "--reference", score, "--model", Trained.Value.Model, "--stream", "--json");
        Assert.True(s.ExitCode == 0, s.StdErr);
        var lines = s.StdOut.Trim().Split('\n').Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.True(lines[1]["silent"]!.GetValue<bool>());
        Assert.Null(lines[1]["dimensions"]);
        Assert.StartsWith("Nothing was played in this window", lines[1]["text"]!.GetValue<string>());
        Assert.All([lines[0], lines[2]], o => { Assert.Null(o["silent"]); Assert.Equal(6, o["dimensions"]!.AsObject().Count); });
    }

    [Fact]
    public void Feedback_errors_are_one_line_with_exit_code_2()
    {
        var (audio, score) = AClip();
        var dir = Hfb.TempDir();
        string garbage = Path.Combine(dir, "garbage.mid"), slow = Path.Combine(dir, "22k.wav");
        File.WriteAllText(garbage, "not a midi file");
        WavWriter.Write(slow, new AudioClip(new float[22050], 22050));
        string silent = Path.Combine(dir, "silent.wav");
        WavWriter.Write(silent, new AudioClip(new float[3 * 16000], 16000));
        var cases = new (string[] Args, string Expected)[]
        {
            (["feedback", Path.Combine(dir, "missing.wav"), "--reference", score, "--model", Trained.Value.Model], "missing.wav"),
            (["feedback", audio, "--model", Trained.Value.Model], "pass the score with --reference"),
            (["feedback", audio, "--reference", garbage, "--model", Trained.Value.Model], "garbage.mid"),
            (["feedback", slow, "--reference", score, "--model", Trained.Value.Model], "22050 Hz but the model was trained at 16000 Hz"),
            (["feedback", audio, "--reference", score, "--model", garbage], "garbage.mid"),
            (["feedback", silent, "--reference", score, "--model", Trained.Value.Model], "silent.wav: the recording is silent: its loudest sample is at -inf dBFS"),
        };
        foreach (var (args, expected) in cases) AssertOneLineError(args, expected);
    }

    [Fact]
    public void Resample_lets_a_recording_at_another_rate_through_whole_and_streamed()
    {
        var (audio, score) = AClip();
        var dir = Hfb.TempDir();
        string hi = Path.Combine(dir, "44k.wav");
        var at16 = WavReader.Read(audio, mono: true);
        WavWriter.Write(hi, Resampler.Resample(at16, 44100));
        var refused = Hfb.Run(["feedback", hi, "--reference", score, "--model", Trained.Value.Model]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("(or pass --resample)", refused.StdErr);
        foreach (var stream in new[] { false, true })
        {
            string[] extra = stream ? ["--stream"] : [];
            var r = Hfb.Run(["feedback", hi, "--reference", score, "--model", Trained.Value.Model, "--json", "--resample", .. extra]);
            Assert.True(r.ExitCode == 0, r.StdErr);
            var direct = Hfb.Run(["feedback", audio, "--reference", score, "--model", Trained.Value.Model, "--json", .. extra]);
            var a = r.StdOut.Trim().Split('\n').Select(l => JsonNode.Parse(l)!).ToArray();
            var b = direct.StdOut.Trim().Split('\n').Select(l => JsonNode.Parse(l)!).ToArray();
            Assert.Equal(b.Length, a.Length);
            // 16 → 44.1 → 16 kHz is not the identity, but close: the per-dimension scores move by a little
            for (int w = 0; w < a.Length; w++)
                foreach (var d in new[] { "pitch", "rhythm", "tempo", "dynamics", "articulation", "completeness" })
                    Assert.InRange(Math.Abs(a[w]["dimensions"]![d]!.GetValue<double>() - b[w]["dimensions"]![d]!.GetValue<double>()), 0, 0.05);
        }
    }

    [Fact]
    public void Feedback_train_records_its_provenance_and_the_same_seed_gives_the_same_weights_at_another_thread_count()
    {
        var meta = System.Text.Json.JsonDocument.Parse(File.ReadAllText(FeedbackTraining.ProvenancePath(Trained.Value.Model))).RootElement;
        foreach (var key in new[] { "trained.command", "trained.toolkit", "trained.corpusHash", "trained.settings", "validation.accuracy", "validation.macroF1", "test.accuracy", "test.macroF1", "test.mae", "corpus.excerptSeconds" })
            Assert.True(meta.TryGetProperty(key, out _), $"provenance lacks {key}");
        Assert.Equal("3", meta.GetProperty("corpus.excerptSeconds").GetString());
        Assert.Equal("16", meta.GetProperty("test.clips").GetString());   // 4 unseen pieces × 2 renditions × 2 renderers

        // the old spelling still trains (a hidden alias), here with 2 threads: the engine's results do not depend on the thread count
        string again = Path.Combine(Hfb.TempDir(), "again.hfbckpt");
        var r = Hfb.Run(["feedback", "train", "--out", again, "--data", Trained.Value.Data, "--threads", "2", .. TinyRecipe]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("'hfb feedback train' is now 'hfb feedback-train'", r.StdErr);
        var a = HarmoniousFeedbackModel.Load(Trained.Value.Model, out _).Network.StateDict();
        var b = HarmoniousFeedbackModel.Load(again, out _).Network.StateDict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (k, v) in a) Assert.True(v.Data.SequenceEqual(b[k].Data), $"{k} differs");
    }

    [Fact]
    public void Feedback_train_refuses_fluidsynth_and_unknown_renderers_before_any_work()
    {
        var dir = Hfb.TempDir();
        AssertOneLineError(["feedback-train", "--out", Path.Combine(dir, "m.hfbckpt"), "--data", dir, "--renderers", "builtin,fluidsynth"], "fluidsynth needs an installed synthesizer");
        AssertOneLineError(["feedback-train", "--out", Path.Combine(dir, "m.hfbckpt"), "--data", dir, "--renderers", "builtin,harpsichord"], "renderer 'harpsichord' is not one of");
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Feedback_train_default_model_recipe_refuses_options_it_fixes()
    {
        var r = Hfb.Run("feedback-train", "--default-model-recipe", "--out", Path.Combine(Hfb.TempDir(), "m.hfbckpt"), "--pieces", "4", "--seed", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("the recipe fixes --pieces, --seed", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public void Feedback_stream_json_prints_one_object_per_window_with_its_times_and_its_place_in_the_score()
    {
        var (score, student, _) = Melody.Value;
        var r = Hfb.Run("feedback", student, "--reference", score, "--model", Trained.Value.Model, "--stream", "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var lines = r.StdOut.Trim().Split('\n').Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        // 12 s + the last note's release (< 1 s, dropped): 4 windows of 3 s, the model's training clip length
        Assert.Equal([0.0, 3, 6, 9], lines.Select(o => o["window"]!["start"]!.GetValue<double>()));
        Assert.Equal([3.0, 6, 9, 12], lines.Select(o => o["window"]!["end"]!.GetValue<double>()));
        foreach (var o in lines)
        {
            double start = o["window"]!["start"]!.GetValue<double>();
            // the student keeps the score's tempo, so each window is found at its own time in the score (chroma smoothing: 0.1 s);
            // window 2's notes are all wrong, nothing in the score matches it, and it is placed where it is expected
            Assert.InRange(o["reference"]!["start"]!.GetValue<double>(), start - 0.1, start + 0.1);
            Assert.Equal(start != 6, o["reference"]!["matched"]!.GetValue<bool>());
            Assert.Equal(6, o["dimensions"]!.AsObject().Count);
            foreach (var issue in o["issues"]!.AsArray())
                Assert.InRange(issue!["start"]!.GetValue<double>(), start - 0.01, start + 3);   // issue times are in the recording
        }
        var text = Hfb.Run("feedback", student, "--reference", score, "--model", Trained.Value.Model, "--stream", "--hop-seconds", "1.5");
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains("window 1: 1.50–4.50 s (score ", text.StdOut);
        // starts 0, 1.5, …, 9 (full windows) and 10.5 (10.5 s to the end at ≈ 12.7 s: it holds samples no earlier window had)
        Assert.Equal(8, text.StdOut.Split('\n').Count(l => l.StartsWith("dominant issue:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Feedback_figure_writes_the_svg_and_png_and_one_per_window_with_stream()
    {
        var (score, student, _) = Melody.Value;
        var dir = Hfb.TempDir();
        var r = Hfb.Run("feedback", student, "--reference", score, "--model", Trained.Value.Model, "--figure", Path.Combine(dir, "take.svg"));
        Assert.True(r.ExitCode == 0, r.StdErr);
        var svg = XDocument.Load(Path.Combine(dir, "take.svg"));
        Assert.Equal(3, svg.Root!.Elements().Count(e => (string?)e.Attribute("class") == "panel"));   // log-mel, attention, frame scores
        bool rsvg = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "rsvg-convert")));
        Assert.Equal(rsvg, File.Exists(Path.Combine(dir, "take.png")));
        if (!rsvg) Assert.Contains("take.png not", r.StdErr);

        var s = Hfb.Run("feedback", student, "--reference", score, "--model", Trained.Value.Model, "--stream", "--figure", Path.Combine(dir, "live.svg"));
        Assert.True(s.ExitCode == 0, s.StdErr);
        Assert.Equal(["live-w000.svg", "live-w001.svg", "live-w002.svg", "live-w003.svg"],
            Directory.GetFiles(dir, "live-w*.svg").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [FfmpegFact]
    public void Feedback_reads_a_flac_recording_through_ffmpeg_as_its_help_says_with_the_result_of_the_same_wav()
    {
        // Before: the whole-recording path read WAV only ("not a WAV file: missing 'RIFF' signature"); --stream used ffmpeg.
        var (score, student, _) = Melody.Value;
        var dir = Hfb.TempDir();
        string wav = Path.Combine(dir, "take 1 ü.wav"), flac = Path.Combine(dir, "take 1 ü.flac");
        WavWriter.Write(wav, WavReader.Read(student), WavEncoding.Pcm16); // 16-bit: FLAC holds it losslessly
        Ffmpeg.Convert(wav, flac);
        var fromWav = Hfb.Run("feedback", wav, "--reference", score, "--json");
        var fromFlac = Hfb.Run("feedback", flac, "--reference", score, "--json");
        Assert.True(fromFlac.ExitCode == 0, fromFlac.StdErr);
        Assert.True(fromWav.ExitCode == 0, fromWav.StdErr);
        Assert.Equal(fromWav.StdOut, fromFlac.StdOut);
    }

    [Fact]
    public void Feedback_refuses_a_score_too_long_to_render_or_a_folder_as_score_in_one_line()
    {
        // Before: a note held for the largest delta time (2^28 − 1 ticks ≈ 77.7 h at 120 bpm) crashed hfb with
        // "Out of memory." (exit 134); a folder as --reference said "permission denied".
        var (_, student, _) = Melody.Value;
        var dir = Hfb.TempDir();
        string endless = Path.Combine(dir, "endless.mid");
        byte[] track = [0x00, 0x90, 60, 100, 0xFF, 0xFF, 0xFF, 0x7F, 0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00];
        File.WriteAllBytes(endless, [.. "MThd"u8, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, .. "MTrk"u8, 0, 0, 0, (byte)track.Length, .. track]);
        var cases = new List<(string[] Args, string Expected)>
        {
            (["feedback", student, "--reference", endless], "endless.mid: the score lasts 27962"),
            (["feedback", student, "--reference", dir], $"{dir}: is a folder, not a MIDI file"),
        };
        // /dev/zero as the score was read until memory ran out ("Out of memory.", exit 134).
        if (!OperatingSystem.IsWindows()) cases.Add((["feedback", student, "--reference", "/dev/zero"], "/dev/zero: file is empty (0 bytes)"));
        foreach (var (args, expected) in cases) AssertOneLineError(args, expected);
    }

    [Fact]
    public void Feedback_on_a_float_take_with_absurd_samples_is_one_line_not_a_crash()
    {
        // Before: a float WAV peaking at 1e30 overflowed the features and hfb feedback died with an
        // IndexOutOfRangeException and a stack trace (exit 134), with or without --stream.
        var (score, student, _) = Melody.Value;
        var loud = Path.Combine(Hfb.TempDir(), "loud.wav");
        var take = WavReader.Read(student);
        WavWriter.Write(loud, new AudioClip(take.Channels[0].Select(v => v * 1e30f).ToArray(), take.SampleRate), WavEncoding.Float32);
        foreach (var args in new[] { new[] { "feedback", loud, "--reference", score }, ["feedback", loud, "--reference", score, "--stream"] })
        {
            var r = Hfb.Run(args);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit {r.ExitCode}, {r.StdErr}");
            Assert.StartsWith($"error: {loud}: float sample ", r.StdErr);
            Assert.Contains("float WAV samples must be finite numbers within ±16777216", r.StdErr);
            Assert.Single(r.StdErr.Trim().Split('\n'));
        }
    }

    [Fact]
    public void Feedback_without_model_runs_the_model_shipped_inside_hfb()
    {
        Assert.True(DefaultFeedbackModel.Available, $"the CLI assembly should carry {DefaultFeedbackModel.ResourceName} (src/HarmoniousFeedback.Cli/DefaultModel/)");
        var model = DefaultFeedbackModel.Load(out var meta);
        Assert.Equal("3", meta[FeedbackTraining.ExcerptKey]);
        Assert.Equal([8, 16, 32, 32], model.Options.Channels);
        Assert.Equal(NoteComparisonInput.WithLocalContrasts.Count, model.NoteFeatures);
        Assert.Equal(DefaultFeedbackModel.Recipe.ModalityDropout, model.Options.ModalityDropout);
        Assert.Equal("notes", meta[FeedbackCommand.DecideFromKey]);
        Assert.Contains("--default-model-recipe", meta[FeedbackTraining.CommandKey]);
        Assert.Equal(DefaultFeedbackModel.RecipeText, meta["trained.settings"]);
        var (score, student, _) = Melody.Value;
        var r = Hfb.Run("feedback", student, "--reference", score, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var json = JsonNode.Parse(r.StdOut)!;
        Assert.Equal(6, json["dimensions"]!.AsObject().Count);
        Assert.Equal("notes", json["decided_from"]!.GetValue<string>());
        Assert.DoesNotContain("warning", r.StdErr);
    }

    [Fact]
    public void Feedback_stream_and_figure_errors_are_one_line_with_exit_code_2_and_leave_no_file()
    {
        var (score, student, _) = Melody.Value;
        var dir = Hfb.TempDir();
        string slow = Path.Combine(dir, "22k.wav"), figure = Path.Combine(dir, "f.svg"), garbage = Path.Combine(dir, "garbage.mid");
        WavWriter.Write(slow, new AudioClip(new float[22050 * 4], 22050));
        File.WriteAllText(garbage, "not a midi file");
        var before = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToArray();
        var m = Trained.Value.Model;
        var cases = new (string[] Args, string Expected)[]
        {
            (["feedback", student, "--reference", score, "--model", m, "--hop-seconds", "1"], "--hop-seconds only apply with --stream"),
            (["feedback", student, "--reference", score, "--model", m, "--stream", "--hop-seconds", "4"], "HopSeconds = 4 must be in (0, WindowSeconds = 3]"),
            (["feedback", student, "--reference", score, "--model", m, "--stream", "--window-seconds", "0.1", "--figure", figure], "WindowSeconds = 0.1"),
            (["feedback", student, "--reference", score, "--model", m, "--stream", "--search-seconds", "-1"], "SearchSeconds = -1"),
            (["feedback", slow, "--reference", score, "--model", m, "--stream", "--figure", figure], "22050 Hz but the model was trained at 16000 Hz"),
            (["feedback", student, "--model", m, "--stream"], "pass the score with --reference"),
            (["feedback", student, "--reference", garbage, "--model", m, "--stream", "--figure", figure], "garbage.mid"),
            (["feedback", Path.Combine(dir, "missing.wav"), "--reference", score, "--model", m, "--stream"], "missing.wav"),
            (["feedback", student, "--reference", Path.Combine(dir, "missing.mid"), "--model", m, "--figure", figure], "missing.mid"),
            (["feedback", student, "--reference", score, "--model", m, "--figure", Path.Combine(dir, "f.txt")], "must name an .svg file"),
            (["feedback", student, "--reference", score, "--model", garbage, "--figure", figure], "garbage.mid"),
        };
        foreach (var (args, expected) in cases)
        {
            AssertOneLineError(args, expected);
            Assert.Equal(before, Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToArray());   // no figure, no temporary file
        }
    }
}
