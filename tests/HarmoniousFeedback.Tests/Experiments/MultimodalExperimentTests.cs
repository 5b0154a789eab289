using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Experiments;
using Xunit;

namespace HarmoniousFeedback.Tests.Experiments;

public class MultimodalExperimentTests
{
    [Fact]
    public void A_spec_reading_score_features_of_an_audio_only_folder_fails_before_any_work_naming_clip_and_view()
    {
        var src = TestPaths.TempDir("hfb-audio-only");
        for (int i = 0; i < 2; i++)
            WavWriter.Write(Path.Combine(src, $"take{i}.wav"), new AudioClip(Enumerable.Range(0, 16000).Select(s => (float)(0.2 * Math.Sin(s * 0.05 * (i + 1)))).ToArray(), 16000));
        File.WriteAllText(Path.Combine(src, "clips.csv"), "path,label\ntake0.wav,Q1\ntake1.wav,Q2\n");
        var spec = ExperimentSpec.Parse($$"""
        { "name": "audio-only", "dataset": { "kind": "folder", "source": "{{src}}" },
          "models": [ { "name": "Fusion", "type": "fusion", "views": ["lld", "score"] } ],
          "evaluations": [ { "scheme": "grouped-kfold", "folds": 2 } ] }
        """);
        var data = TestPaths.TempDir("hfb-audio-only-data");
        var runner = new ExperimentRunner(spec, new RunnerOptions { DataRoot = data, ResultsRoot = Path.Combine(data, "results") });
        var e = Assert.Throws<DatasetException>(() => runner.Run());
        Assert.Contains("view 'score' is missing for 2 of 2 clips", e.Message);
        Assert.Contains("clip 'take0' has no MIDI", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(data)); // nothing prepared, rendered or extracted
    }

    [Fact]
    public void A_cv_scheme_within_official_parts_never_tests_or_trains_on_other_clips()
    {
        var dir = TestPaths.TempDir("hfb-within");
        var parts = new[] { "train", "val", "test" };
        var clips = Enumerable.Range(0, 48).Select(i => new ManifestClip
        {
            Id = $"c{i:D2}", Group = $"song{i / 2}", Label = $"Q{1 + (i / 2) % 4}", Audio = $"audio/c{i:D2}.wav", AudioSha256 = "0", Split = parts[(i / 2) % 3],
        }).ToList();
        var manifest = Manifest.Create("toy", "memory", null, ["Q1", "Q2", "Q3", "Q4"], clips);
        var index = ClipIndex.From(new PreparedData(new Dataset("toy", "memory", []), manifest, dir, "toy"), null);
        var spec = ExperimentSpec.Parse("""
        { "name": "dev", "dataset": { "kind": "emopia", "source": "x" },
          "models": [ { "name": "LDA", "type": "lda" } ],
          "evaluations": [ { "scheme": "grouped-kfold", "folds": 2, "repeats": 2, "seed": 7, "within": ["train", "val"] } ] }
        """);
        var scheme = Assert.Single(ExperimentPlan.Create(spec).Units(index));
        Assert.Equal("grouped-2fold-x2-train+val", scheme.Name);
        var dev = Enumerable.Range(0, 48).Where(i => index.Assignment[i] != "test").ToArray();
        foreach (var repeat in scheme.Splits.GroupBy(s => s.Repeat))
            Assert.Equal(dev, repeat.SelectMany(s => s.Test).Order());
        Assert.All(scheme.Splits, s => Assert.DoesNotContain(s.Train.Concat(s.Test), i => index.Assignment[i] == "test"));
        Assert.Contains("on the train + val clips only", ExperimentPlan.SchemeDescription(spec.Evaluations[0]));

        var bad = Assert.Throws<ExperimentSpecException>(() => ExperimentSpec.Parse("""
        { "name": "bad", "dataset": { "kind": "emopia", "source": "x" }, "models": [ { "name": "LDA", "type": "lda" } ],
          "evaluations": [ { "scheme": "official-split", "within": ["train", "dev"] } ] }
        """));
        Assert.Contains("within applies to grouped-kfold and stratified-kfold only", bad.Message);
        Assert.Contains("'dev' (allowed: train, val, test)", bad.Message);
    }
}
