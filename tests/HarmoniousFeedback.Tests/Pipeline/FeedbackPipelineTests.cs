using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Models.TeachingFeedback;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Trainers;
using HarmoniousFeedback.Pipeline.Transforms;
using HarmoniousFeedback.Pipeline.Views;
using HarmoniousFeedback.Tests.Features;
using HarmoniousFeedback.Tests.Models.TeachingFeedback;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline;

public sealed class FeedbackPipelineTests
{
    /// <summary>The registry kinds that read the teaching-feedback targets (they need a feedback table for the workout).</summary>
    public static IReadOnlyList<string> FeedbackKinds { get; } = ["hfn", "hfn-hfi"];

    /// <summary>The synthetic task (<see cref="SyntheticFeedback"/>) as a table with the runner's columns.</summary>
    internal static DataTable Table(int n, int seed) => TableOf(SyntheticFeedback.Create(n, seed));

    /// <summary><see cref="Table"/> of the note-only task (<see cref="SyntheticFeedback.CreateNoteOnly"/>) with its note comparison as the vector column <c>score-notes</c>.</summary>
    internal static DataTable NotesTable(int n, int seed) => TableOf(SyntheticFeedback.CreateNoteOnly(n, seed));

    /// <summary>The runner's columns for the examples (and <c>score-notes</c> when they carry a note comparison).</summary>
    private static DataTable TableOf((List<HfnExample> Examples, List<FeedbackTargets> Targets, List<string> Groups) task)
    {
        var (ex, ys, gs) = task;
        int n = ex.Count;
        var enc = ys.Select(FeedbackColumns.Encode).ToArray();
        var columns = new List<DataColumn>
        {
            new DataColumn<string>("Id", ColumnType.String, Enumerable.Range(0, n).Select(i => $"c{i}").ToArray()),
            new DataColumn<string>("Group", ColumnType.String, gs.ToArray()),
            new DataColumn<string>("Label", ColumnType.String, ys.Select(y => y.Issue).ToArray()),
            new DataColumn<FeatureMatrix>("logmel", ColumnType.Sequence(8), ex.Select(e => e.Student).ToArray()),
            new DataColumn<FeatureMatrix>("reference-logmel", ColumnType.Sequence(8), ex.Select(e => e.Reference!).ToArray()),
            new DataColumn<FeatureMatrix>("alignment", ColumnType.Sequence(2), ex.Select(e => e.Alignment!).ToArray()),
        };
        if (ex[0].Notes is { } first) columns.Add(new DataColumn<float[]>("score-notes", ColumnType.Vector(first.Length), ex.Select(e => e.Notes!).ToArray()));
        columns.Add(new DataColumn<float[]>(new SchemaColumn(FeedbackColumns.Targets, FeedbackColumns.TargetsType) { SlotNames = FeedbackColumns.TargetSlots }, enc.Select(e => e.Targets).ToArray()));
        columns.Add(new DataColumn<FeatureMatrix>(new SchemaColumn(FeedbackColumns.Spans, FeedbackColumns.SpansType) { SlotNames = FeedbackColumns.SpanSlots }, enc.Select(e => e.Spans).ToArray()));
        return new DataTable(columns);
    }

    private static Dictionary<string, object?> SmallParams(bool hfi) => new()
    {
        ["nMels"] = 8, ["channels"] = new[] { 3, 4 }, ["frameHidden"] = 4, ["factorHidden"] = 3, ["emotionEmbedding"] = 2,
        ["epochs"] = 2, ["batchSize"] = 7, ["patience"] = null, ["validationFraction"] = 0.0,
    };

    [Fact]
    public void Feedback_kinds_are_registered()
    {
        foreach (var k in FeedbackKinds) Assert.Contains(k, ModelRegistry.CreateBuiltIn().Names);
    }

    [Theory]
    [InlineData("hfn")]
    [InlineData("hfn-hfi")]
    public void Every_feedback_model_kind_passes_the_workout(string kind)
    {
        var table = Table(21, 1);
        EstimatorWorkout.Run(s => new HfContext(s).MulticlassClassification.Trainers.Create(kind, ["logmel", "reference-logmel", "alignment"], SmallParams(kind == "hfn-hfi")), table, "logmel");
    }

    [Fact]
    public void Feedback_model_with_notes_passes_the_workout_and_reads_the_vector_view_as_the_note_comparison()
    {
        var table = NotesTable(21, 1);
        var p = SmallParams(true);
        p["notes"] = true;
        string[] views = ["logmel", "reference-logmel", "alignment", "score-notes"];
        EstimatorWorkout.Run(s => new HfContext(s).MulticlassClassification.Trainers.Create("hfn-hfi", views, p), table, "score-notes");
        var model = (FeedbackPredictionTransformer)new HfContext(2).MulticlassClassification.Trainers.Create("hfn-hfi", views, p).Fit(table);
        Assert.Equal("score-notes", model.Notes);
        Assert.Equal(7, model.Model.NoteFeatures);
    }

    [Fact]
    public void Feedback_model_with_notes_refuses_a_table_without_the_note_column_and_notes_without_the_reference_stream()
    {
        var p = SmallParams(true);
        p["notes"] = true;
        var create = () => new HfContext(1).MulticlassClassification.Trainers.Create("hfn-hfi", ["logmel", "reference-logmel", "alignment", "score-notes"], p);
        var e = Assert.Throws<SchemaMismatchException>(() => create().GetOutputSchema(NotesTable(7, 1).Without("score-notes").Schema));
        Assert.Contains("score-notes", e.Message);
        p["reference"] = false;
        var o = Assert.Throws<OptionsValidationException>(() => new HfContext(1).MulticlassClassification.Trainers.Create("hfn-hfi", ["logmel"], p));
        Assert.Contains("reference", o.Message);
    }

    [Fact]
    public void Feedback_model_without_the_reference_stream_reads_only_the_log_mel()
    {
        var table = Table(14, 2).Without("reference-logmel", "alignment");
        var p = SmallParams(true);
        p["reference"] = false;
        var model = new HfContext(3).MulticlassClassification.Trainers.Create("hfn-hfi", ["logmel"], p).Fit(table);
        var scored = model.Transform(table);
        Assert.Equal(14, scored.Column<float[]>(FeedbackColumns.DimensionScores).ToArray().Length);
    }

    [Fact]
    public void Feedback_trainer_names_the_missing_targets_column_and_where_it_comes_from()
    {
        var table = Table(7, 1).Without(FeedbackColumns.Targets);
        var e = Assert.Throws<SchemaMismatchException>(() =>
            new HfContext(1).MulticlassClassification.Trainers.Create("hfn-hfi", ["logmel", "reference-logmel", "alignment"], SmallParams(true)).GetOutputSchema(table.Schema));
        Assert.Contains(FeedbackColumns.Targets, e.Message);
        Assert.Contains("teaching-feedback", e.Message);
    }

    [Fact]
    public void Feedback_transformer_frame_scores_carry_the_centre_time_of_each_output_frame()
    {
        var table = Table(7, 4);
        var model = new HfContext(3).MulticlassClassification.Trainers.Create("hfn", ["logmel", "reference-logmel", "alignment"], SmallParams(false)).Fit(table);
        var scored = model.Transform(table);
        var frames = scored.Column<FeatureMatrix>(FeedbackColumns.FrameScores)[0];
        double seconds = scored.Column<double>(FeedbackColumns.FrameSeconds)[0];
        // synthetic frames every 0.05 s, two encoder blocks (P = 4): output frames last 0.2 s, centred at (4j + 1.5)·0.05
        Assert.Equal(0.2, seconds, 1e-12);
        for (int j = 0; j < frames.Rows; j++) Assert.Equal((4 * j + 1.5) * 0.05, frames.FrameTimes[j], 1e-9);
    }

    [Fact]
    public void Emotion_attention_transform_passes_the_workout()
    {
        var table = Table(6, 5).With(new DataColumn<float[]>("Factors", ColumnType.Vector(3), Enumerable.Range(0, 6).Select(i => new[] { 0.1f * i, -0.2f, 0.5f }).ToArray()));
        var attention = new EmotionAttention(8, 3, 2, new HarmoniousFeedback.Nn.NnRng(4));
        EstimatorWorkout.Run(s => new HfContext(s).Transforms.EmotionAttention("Attended", "logmel", attention, "Factors"), table, "logmel");
    }

    [Fact]
    public void Emotion_attention_transform_multiplies_the_spectrogram_by_its_map()
    {
        var table = Table(2, 6);
        var attention = new EmotionAttention(8, 3, 2, new HarmoniousFeedback.Nn.NnRng(4));
        var s = new HfContext(1).Transforms.EmotionAttention("S", "logmel", attention).Fit(table).Transform(table).Column<FeatureMatrix>("S")[0];
        var a = new HfContext(1).Transforms.EmotionAttention("A", "logmel", attention, outputMap: true).Fit(table).Transform(table).Column<FeatureMatrix>("A")[0];
        var x = table.Column<FeatureMatrix>("logmel")[0];
        for (int i = 0; i < x.Data.Length; i++) Assert.Equal(x.Data[i] * a.Data[i], s.Data[i], 1e-6f);
    }

    [Fact]
    public void Majority_baseline_predicts_the_most_frequent_training_class_with_the_priors_as_scores()
    {
        var t = DataTable.Create(("Label", new[] { "b", "a", "b", "c", "b", "a" }), ("X", Enumerable.Range(0, 6).Select(i => new[] { (float)i }).ToArray()));
        var scored = new HfContext(1).MulticlassClassification.Trainers.Create("majority", "X").Fit(t).Transform(t);
        Assert.All(scored.Column<string>(MulticlassColumns.PredictedLabel).ToArray(), p => Assert.Equal("b", p));
        Assert.Equal([2f / 6, 3f / 6, 1f / 6], scored.Column<float[]>(MulticlassColumns.Score)[0]);
    }

    [Fact]
    public void Reference_views_align_rows_with_the_logmel_view_and_read_back_from_the_cache()
    {
        var dir = TestPaths.TempDir("hfb-refviews");
        var score = ReferenceAlignmentTests.Scale(0.3);
        var midi = Path.Combine(dir, "ref.mid");
        MidiWriter.Write(midi, score);
        var wav = Path.Combine(dir, "student.wav");
        WavWriter.Write(wav, ReferenceAlignmentTests.Render(ReferenceAlignmentTests.Scale(0.27)));
        var clips = new[] { new ViewClip("s", wav, ReferenceMidiPath: midi) };
        var x = new ViewExtraction { CacheDirectory = Path.Combine(dir, "features"), RenderCacheDirectory = Path.Combine(dir, "render"), Threads = 1 };
        var defaults = new ViewDefaults();
        var registry = FeatureViewRegistry.CreateBuiltIn();
        FeatureMatrix Seq(string view) => (FeatureMatrix)registry.Get(view).Configure(null, defaults).Extract(clips, x)[0];
        var logmel = Seq("logmel");
        var aligned = Seq("reference-logmel");
        var features = Seq("alignment");
        Assert.Equal(logmel.Rows, aligned.Rows);
        Assert.Equal(logmel.Rows, features.Rows);
        Assert.Equal(128, aligned.Columns);
        Assert.Equal(ReferenceAlignment.FeatureNames.Count, features.Columns);
        var stats = (float[])registry.Get("score-aligned").Configure(null, defaults).Extract(clips, x)[0];
        Assert.Equal(36, stats.Length);
        // played 10 % faster than written: the mean log tempo ratio is positive (ln(0.30/0.27) = 0.105)
        Assert.InRange(stats[0], 0.03, 0.2);
        Assert.Equal(features.Data, Seq("alignment").Data);  // second read: the cache
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "render"), "*.wav", SearchOption.AllDirectories));
        // score-notes: the note comparison, stored with the alignment on the first miss and read from the cache since
        // "local": true keeps all 75 measures; the default, the 58 of version 7 (a spec written before the local contrasts computes what it computed)
        var local = registry.Get("score-notes").Configure(new Dictionary<string, System.Text.Json.JsonElement> { ["local"] = System.Text.Json.JsonDocument.Parse("true").RootElement }, defaults);
        Assert.Equal(ScoreInformedComparison.FeatureNames, local.SlotNames);
        var notes = (float[])local.Extract(clips, x)[0];
        Assert.Equal(ScoreInformedComparison.FeatureNames.Count, notes.Length);
        Assert.InRange(notes[ScoreInformedComparison.FeatureNames.ToList().IndexOf("abs_log_tempo")], Math.Log(0.30 / 0.27) - 0.03, Math.Log(0.30 / 0.27) + 0.03);
        Assert.Equal(notes, (float[])local.Extract(clips, x)[0]);
        var v7 = (float[])registry.Get("score-notes").Configure(null, defaults).Extract(clips, x)[0];
        Assert.Equal(notes.Take(58), v7);
        // "durations": false keeps every other measure, in order, from the same cached comparison
        var noDurations = registry.Get("score-notes").Configure(new Dictionary<string, System.Text.Json.JsonElement> { ["durations"] = System.Text.Json.JsonDocument.Parse("false").RootElement }, defaults);
        var kept = ScoreInformedComparison.FeatureNames.Select((n, i) => (n, i)).Where(p => !ScoreInformedComparison.IsDurationMeasure(p.n) && !ScoreInformedComparison.IsLocalMeasure(p.n)).ToArray();
        Assert.Equal(45, kept.Length);
        Assert.Equal(kept.Select(p => p.n), noDurations.SlotNames);
        Assert.Equal(kept.Select(p => notes[p.i]), (float[])noDurations.Extract(clips, x)[0]);
        Assert.DoesNotContain(noDurations.SlotNames!, n => n.Contains("duration") || n.Contains("damped"));
        // "onsets": false also drops the unexplained-onset measures: NoteComparisonInput.ForUnseenInstruments
        var robust = registry.Get("score-notes").Configure(new Dictionary<string, System.Text.Json.JsonElement>
        {
            ["durations"] = System.Text.Json.JsonDocument.Parse("false").RootElement,
            ["onsets"] = System.Text.Json.JsonDocument.Parse("false").RootElement,
        }, defaults);
        Assert.Equal(41, robust.SlotNames!.Count);
        Assert.Equal(NoteComparisonInput.ForUnseenInstruments, robust.SlotNames);
        Assert.DoesNotContain(robust.SlotNames, n => n.StartsWith("unexplained_", StringComparison.Ordinal));
        Assert.Contains("slips_per_note", robust.SlotNames);
        var all = ScoreInformedComparison.FeatureNames.ToList();
        Assert.Equal(robust.SlotNames.Select(n => notes[all.IndexOf(n)]), (float[])robust.Extract(clips, x)[0]);
    }

    [Fact]
    public void Score_notes_view_needs_a_score_and_says_so_for_a_reference_recording()
    {
        var registry = FeatureViewRegistry.CreateBuiltIn();
        var view = registry.Get("score-notes").Configure(null, new ViewDefaults());
        Assert.Contains("no reference score", view.Missing(new ViewClip("x", "x.wav")));
        Assert.Null(view.Missing(new ViewClip("x", "x.wav", ReferenceMidiPath: "r.mid")));
        var audio = registry.Get("score-notes").Configure(new Dictionary<string, System.Text.Json.JsonElement> { ["reference"] = System.Text.Json.JsonDocument.Parse("\"audio\"").RootElement }, new ViewDefaults());
        Assert.Contains("compares with a score", audio.Missing(new ViewClip("x", "x.wav", ReferenceAudioPath: "r.wav")));
    }

    [Fact]
    public void Reference_views_say_a_clip_without_a_score_cannot_be_compared()
    {
        var view = FeatureViewRegistry.CreateBuiltIn().Get("alignment").Configure(null, new ViewDefaults());
        Assert.Contains("no reference score", view.Missing(new ViewClip("x", "x.wav")));
        Assert.Null(view.Missing(new ViewClip("x", "x.wav", ReferenceMidiPath: "r.mid")));
    }
}
