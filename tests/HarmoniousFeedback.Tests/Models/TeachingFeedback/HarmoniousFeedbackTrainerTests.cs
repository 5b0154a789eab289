using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

public sealed class HarmoniousFeedbackTrainerTests
{
    private static readonly HarmoniousFeedbackNetworkOptions Small = new()
    {
        NMels = 8, Channels = [4, 8], EmotionEmbeddingDim = 2, FactorHidden = 4, FrameHidden = 8,
        Integration = new FeedbackIntegrationOptions { Iterations = 2, NodeDim = 4 },
    };

    private static readonly HfnTrainingOptions Fast = new() { LearningRate = 1e-2, BatchSize = 14, MaxEpochs = 25, EarlyStoppingPatience = null, ValidationFraction = 0 };

    [Fact]
    public void Trainer_learns_a_planted_issue_visible_against_the_reference()
    {
        var (ex, ys, gs) = SyntheticFeedback.Create(70, seed: 1);
        var model = new HarmoniousFeedbackTrainer(Small, Fast, seed: 3).Fit(ex, ys, gs);
        var (tx, ty, _) = SyntheticFeedback.Create(35, seed: 2);
        var pred = model.Predict(tx);
        double acc = pred.Zip(ty).Count(p => p.First.Issue == p.Second.Issue) / (double)ty.Count;
        // chance is 1/7 ≈ 0.14; the band is obvious in the difference, so a working network gets most of them
        Assert.True(acc >= 0.6, $"held-out accuracy {acc:F2}");
    }

    [Fact]
    public void Trainer_learns_an_issue_visible_only_in_the_note_comparison_and_only_when_it_reads_it()
    {
        var (ex, ys, gs) = SyntheticFeedback.CreateNoteOnly(70, seed: 1);
        var (tx, ty, _) = SyntheticFeedback.CreateNoteOnly(35, seed: 2);
        double Accuracy(HarmoniousFeedbackModel m, IReadOnlyList<HfnExample> x) => m.Predict(x).Zip(ty).Count(p => p.First.Issue == p.Second.Issue) / (double)ty.Count;
        var withNotes = new HarmoniousFeedbackTrainer(Small, Fast, seed: 3).Fit(ex, ys, gs);
        Assert.Equal(7, withNotes.NoteFeatures);
        // μ and σ are the training clips' (1000 + U(0, 40) + 200/7 on average), so the standardised input is of order 1
        Assert.InRange(withNotes.Network.Notes!.Mean.Data[0], 1000f, 1060f);
        var blind = new HarmoniousFeedbackTrainer(Small, Fast, seed: 3).Fit([.. ex.Select(e => e with { Notes = null })], ys, gs);
        Assert.Equal(0, blind.NoteFeatures);
        double a = Accuracy(withNotes, tx), b = Accuracy(blind, [.. tx.Select(e => e with { Notes = null })]);
        Assert.True(a >= 0.8, $"with the note comparison: held-out accuracy {a:F2}");
        Assert.True(b <= 0.4, $"without it the spectrograms carry no issue, yet accuracy {b:F2}");
    }

    [Fact]
    public void Trainer_rejects_rows_whose_note_comparisons_differ_in_length()
    {
        var (ex, ys, gs) = SyntheticFeedback.CreateNoteOnly(14, seed: 6);
        ex[5] = ex[5] with { Notes = [1f, 2f] };
        var e = Assert.Throws<DatasetException>(() => new HarmoniousFeedbackTrainer(Small, Fast with { MaxEpochs = 1 }, seed: 1).Fit(ex, ys, gs));
        Assert.Contains("row 5", e.Message);
        Assert.Contains("note comparison", e.Message);
    }

    [Fact]
    public void Trainer_with_the_same_seed_gives_bit_identical_predictions()
    {
        var (ex, ys, gs) = SyntheticFeedback.Create(28, seed: 4);
        var o = Fast with { MaxEpochs = 3, ValidationFraction = 0.25, EarlyStoppingPatience = 2 };
        var a = new HarmoniousFeedbackTrainer(Small, o, seed: 9).Fit(ex, ys, gs).Predict(ex);
        var b = new HarmoniousFeedbackTrainer(Small, o, seed: 9).Fit(ex, ys, gs).Predict(ex);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].IssueProbabilities, b[i].IssueProbabilities);
            Assert.Equal(a[i].FrameDeficits, b[i].FrameDeficits);
        }
    }

    [Fact]
    public void Model_saved_and_loaded_predicts_identically_and_keeps_its_metadata()
    {
        var (ex, ys, gs) = SyntheticFeedback.Create(14, seed: 5);
        var model = new HarmoniousFeedbackTrainer(Small, Fast with { MaxEpochs = 2 }, seed: 2).Fit(ex, ys, gs);
        var path = Path.Combine(TestPaths.TempDir("hfn-model"), "m.hfbckpt");
        model.Save(path, new Dictionary<string, string> { ["trainedBy"] = "test" });
        var loaded = HarmoniousFeedbackModel.Load(path, out var meta);
        Assert.Equal("test", meta["trainedBy"]);
        var a = model.Predict(ex, withAttention: true);
        var b = loaded.Predict(ex, withAttention: true);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].IssueProbabilities, b[i].IssueProbabilities);
            Assert.Equal(a[i].Scores, b[i].Scores);
            Assert.Equal(a[i].Attention, b[i].Attention);
        }
    }

    [Fact]
    public void Model_with_note_features_saved_and_loaded_predicts_identically_and_refuses_an_example_without_notes()
    {
        var (ex, ys, gs) = SyntheticFeedback.CreateNoteOnly(14, seed: 7);
        var model = new HarmoniousFeedbackTrainer(Small, Fast with { MaxEpochs = 2 }, seed: 2).Fit(ex, ys, gs);
        var path = Path.Combine(TestPaths.TempDir("hfn-notes-model"), "m.hfbckpt");
        model.Save(path);
        var loaded = HarmoniousFeedbackModel.Load(path, out var meta);
        Assert.Equal("7", meta["hfn.noteFeatures"]);
        Assert.Equal(7, loaded.NoteFeatures);
        Assert.Equal(model.Network.Notes!.Scale.ToArray(), loaded.Network.Notes!.Scale.ToArray());
        var a = model.Predict(ex);
        var b = loaded.Predict(ex);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i].IssueProbabilities, b[i].IssueProbabilities);
        var e = Assert.Throws<ShapeMismatchException>(() => loaded.Predict([ex[0] with { Notes = null }]));
        Assert.Contains("score-notes", e.Message);
    }

    [Fact]
    public void Model_prediction_of_a_clip_does_not_depend_on_the_other_clips_predicted_with_it()
    {
        var (ex, ys, gs) = SyntheticFeedback.Create(14, seed: 6);
        var model = new HarmoniousFeedbackTrainer(Small, Fast with { MaxEpochs = 2 }, seed: 2).Fit(ex, ys, gs);
        var all = model.Predict(ex);
        var one = model.Predict([ex[5]]);
        Assert.Equal(all[5].IssueProbabilities, one[0].IssueProbabilities);
    }

    [Fact]
    public void Model_load_rejects_a_checkpoint_that_is_not_an_hfn_model()
    {
        var path = Path.Combine(TestPaths.TempDir("hfn-model"), "other.hfbckpt");
        Checkpoint.Capture(new Linear(2, 2), null, 0, 0).Save(path);
        var e = Assert.Throws<CheckpointException>(() => HarmoniousFeedbackModel.Load(path, out _));
        Assert.Contains("not an HFN model", e.Message);
    }

    [Fact]
    public void Trainer_rejects_examples_with_the_wrong_number_of_mel_bins_naming_the_row()
    {
        var (ex, ys, gs) = SyntheticFeedback.Create(7, seed: 1);
        var e = Assert.Throws<DatasetException>(() => new HarmoniousFeedbackTrainer(Small with { NMels = 16 }, Fast, 1).Fit(ex, ys, gs));
        Assert.Contains("row 0", e.Message);
        Assert.Contains("NMels = 16", e.Message);
    }

    [Fact]
    public void Validation_split_keeps_every_group_on_one_side()
    {
        var groups = Enumerable.Range(0, 40).Select(i => $"g{i % 9}").ToArray();
        var (train, val) = HarmoniousFeedbackTrainer.ValidationSplit(groups, 0.2, 5);
        Assert.Empty(train.Select(i => groups[i]).Intersect(val.Select(i => groups[i])));
        Assert.Equal(40, train.Length + val.Length);
        Assert.Equal(2, val.Select(i => groups[i]).Distinct().Count()); // ⌈0.2·9⌉
    }

    [Fact]
    public void Issues_are_the_runs_of_frames_above_the_threshold_with_their_peak_as_severity()
    {
        // 5 frames × 6 dimensions; rhythm (1) above 0.3 in frames 1–3, tempo (2) only in frame 4 (too short at 0.3 s minimum)
        var d = new float[30];
        d[1 * 6 + 1] = 0.5f; d[2 * 6 + 1] = 0.9f; d[3 * 6 + 1] = 0.4f; d[4 * 6 + 2] = 0.8f;
        var starts = new[] { 0.0, 0.16, 0.32, 0.48, 0.64 };
        var ends = starts.Select(s => s + 0.16).ToArray();
        var spans = FeedbackIssues.FromFrames(d, starts, ends);
        var s0 = Assert.Single(spans);
        Assert.Equal(1, s0.Dimension);
        Assert.Equal(0.16, s0.Start, 1e-12);
        Assert.Equal(0.64, s0.End, 1e-12);
        Assert.Equal(0.9, s0.Severity, 1e-6);
    }
}
