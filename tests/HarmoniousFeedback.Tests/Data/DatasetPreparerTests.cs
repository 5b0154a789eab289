using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Data;

public class DatasetPreparerTests
{
    private static Dataset Small(int clips = 8, long seed = 5) => SyntheticCorpus.Create(new SyntheticCorpusOptions { Clips = clips, Seed = seed, MinSegments = 1, MaxSegments = 1 });

    [Fact]
    public void Prepares_audio_midi_and_manifest_then_a_second_run_renders_nothing()
    {
        var dir = TestPaths.TempDir();
        var ds = Small();
        var r = new CountingRenderer(new PianoSynthesizer());
        var first = DatasetPreparer.Prepare(ds, r, new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        Assert.Equal(8, r.Calls);
        Assert.Equal(8, first.Count(PrepareAction.Rendered));
        Assert.False(first.UpToDate);
        var m = Manifest.Read(dir);
        Assert.Equal(first.Manifest.ManifestHash, m.ManifestHash);
        Assert.Equal(new Dictionary<string, int> { ["Q1"] = 2, ["Q2"] = 2, ["Q3"] = 2, ["Q4"] = 2 }, m.ClassCounts);
        foreach (var c in m.Clips)
        {
            var audio = Path.Combine(dir, c.Audio);
            Assert.Equal(c.AudioSha256, RenderCache.Sha256Hex(File.ReadAllBytes(audio)));
            Assert.Equal(c.MidiSha256, RenderCache.Sha256Hex(File.ReadAllBytes(Path.Combine(dir, c.Midi!))));
            Assert.Equal(16000, WavReader.ReadInfo(audio).SampleRate);
        }
        var manifestTime = File.GetLastWriteTimeUtc(Path.Combine(dir, Manifest.FileName));

        var second = DatasetPreparer.Prepare(Small(), r, new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        Assert.Equal(8, r.Calls);
        Assert.True(second.UpToDate);
        Assert.Equal(8, second.Count(PrepareAction.UpToDate));
        Assert.Equal(manifestTime, File.GetLastWriteTimeUtc(Path.Combine(dir, Manifest.FileName)));

        // A deleted audio file comes back from the render cache without rendering.
        File.Delete(Path.Combine(dir, m.Clips[0].Audio));
        var third = DatasetPreparer.Prepare(Small(), r, new PrepareOptions { OutputDirectory = dir, Threads = 1 });
        Assert.Equal(8, r.Calls);
        Assert.Equal(1, third.Count(PrepareAction.FromCache));
        Assert.Equal(m.ManifestHash, third.Manifest.ManifestHash);

        // Another renderer option is another cache key: everything is rendered again.
        var r2 = new CountingRenderer(new PianoSynthesizer(new PianoSynthesizerOptions { Pedal = false }));
        var fourth = DatasetPreparer.Prepare(Small(), r2, new PrepareOptions { OutputDirectory = dir, Threads = 2 });
        Assert.Equal(8, r2.Calls);
        Assert.NotEqual(m.ManifestHash, fourth.Manifest.ManifestHash);
    }

    [Fact]
    public void Loaded_prepared_dataset_round_trips_and_manifest_hash_ignores_location()
    {
        var a = TestPaths.TempDir();
        var b = TestPaths.TempDir();
        var cache = TestPaths.TempDir();
        var ma = DatasetPreparer.Prepare(Small(4), new PianoSynthesizer(), new PrepareOptions { OutputDirectory = a, CacheDirectory = cache }).Manifest;
        var r = new CountingRenderer(new PianoSynthesizer());
        var mb = DatasetPreparer.Prepare(Small(4), r, new PrepareOptions { OutputDirectory = b, CacheDirectory = cache }).Manifest;
        Assert.Equal(0, r.Calls); // shared cache
        Assert.Equal(ma.ManifestHash, mb.ManifestHash);

        var ds = Dataset.Load(b);
        Assert.Equal(4, ds.Clips.Count);
        Assert.All(ds.Clips, c => Assert.Equal(16000, c.LoadAudio().SampleRate));
        Assert.Equal(Small(4).Clips.Select(c => (c.Id, c.Label, c.GroupId, c.Split)), ds.Clips.Select(c => (c.Id, c.Label, c.GroupId, c.Split)));
    }

    [Fact]
    public void Hand_edited_manifest_is_rejected()
    {
        var dir = TestPaths.TempDir();
        DatasetPreparer.Prepare(Small(4), new PianoSynthesizer(), new PrepareOptions { OutputDirectory = dir });
        var path = Path.Combine(dir, Manifest.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"label\": \"Q1\"", "\"label\": \"Q2\""));
        var e = Assert.Throws<DatasetException>(() => Dataset.Load(dir));
        Assert.Contains("manifestHash", e.Message);
        Assert.Throws<DatasetException>(() => Dataset.Load(TestPaths.TempDir()));
    }

    [SharedDataFact]
    public void Emopia_subset_keeps_the_official_split_and_song_groups()
    {
        var full = EmopiaDataset.Load(TestPaths.Shared("datasets", "emopia"));
        var subset = full.Clips.Where(c => c.GroupId is "0vLPYiPN7qY" or "e838BE_MH6s").ToArray();
        var ds = new Dataset("emopia", full.Source, subset, full.ClassNames);
        var dir = TestPaths.TempDir();
        var m = DatasetPreparer.Prepare(ds, new PianoSynthesizer(), new PrepareOptions { OutputDirectory = dir }).Manifest;
        Assert.Equal(subset.Length, m.Clips.Count);
        foreach (var c in subset)
        {
            var e = m.Clips.Single(x => x.Id == c.Id);
            Assert.Equal((c.Label, c.GroupId, Manifest.SplitName(c.Split), c.Text), (e.Label, e.Group, e.Split, e.Text));
            Assert.Equal(RenderCache.Sha256Hex(File.ReadAllBytes(c.MidiPath!)), e.MidiSha256);
            var audio = WavReader.Read(Path.Combine(dir, e.Audio));
            Assert.InRange(audio.DurationSeconds, 5, 60);
        }
    }

    [Fact]
    public void Folder_with_wav_clips_is_copied_without_a_renderer()
    {
        var src = TestPaths.TempDir();
        WavWriter.Write(Path.Combine(src, "x.wav"), new AudioClip(new float[800], 8000));
        File.WriteAllText(Path.Combine(src, "clips.csv"), "path,label\nx.wav,calm\n");
        var dir = TestPaths.TempDir();
        var r = DatasetPreparer.Prepare(FolderDataset.Load(src), null, new PrepareOptions { OutputDirectory = dir });
        Assert.Equal(1, r.Count(PrepareAction.Copied));
        Assert.Null(r.Manifest.Renderer);
        Assert.Equal(8000, Dataset.Load(dir).Clips[0].LoadAudio().SampleRate); // never resampled
        Assert.True(DatasetPreparer.Prepare(FolderDataset.Load(src), null, new PrepareOptions { OutputDirectory = dir }).UpToDate);
    }

    [Fact]
    public void Folder_clips_at_another_rate_are_resampled_to_the_requested_sample_rate_and_others_copied()
    {
        var src = TestPaths.TempDir();
        var tone = Enumerable.Range(0, 22050).Select(n => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * n / 22050))).ToArray();
        WavWriter.Write(Path.Combine(src, "rec.wav"), new AudioClip(tone, 22050));
        WavWriter.Write(Path.Combine(src, "ok.wav"), new AudioClip(new float[1600], 16000));
        File.WriteAllText(Path.Combine(src, "clips.csv"), "path,label\nrec.wav,calm\nok.wav,calm\n");
        var dir = TestPaths.TempDir();
        var options = new PrepareOptions { OutputDirectory = dir, SampleRate = 16000 };

        var r = DatasetPreparer.Prepare(FolderDataset.Load(src), null, options);

        Assert.Equal(1, r.Count(PrepareAction.Resampled));
        Assert.Equal(1, r.Count(PrepareAction.Copied));
        var clips = Dataset.Load(dir).Clips;
        var rec = clips.Single(c => c.AudioPath!.Contains("rec")).LoadAudio();
        Assert.Equal(16000, rec.SampleRate);
        Assert.Equal(16000, rec.Length); // ⌈22050 · 320 / 441⌉ (torchaudio's output length)
        // The same resampler on the same samples (after the 16-bit round trip of the source), 16-bit quantised again.
        var expected = Resampler.Resample(WavReader.Read(Path.Combine(src, "rec.wav")), 16000).Channels[0];
        Assert.True(Math.Abs(rec.Channels[0][8000] - expected[8000]) <= 1.0 / 32768 + 1e-6);
        var copied = clips.Single(c => c.AudioPath!.Contains("ok")).AudioPath!;
        Assert.Equal(File.ReadAllBytes(Path.Combine(src, "ok.wav")), File.ReadAllBytes(copied)); // right rate: byte for byte
        Assert.True(DatasetPreparer.Prepare(FolderDataset.Load(src), null, options).UpToDate);
        // Asking for another rate redoes the clips whose prepared rate differs.
        var again = DatasetPreparer.Prepare(FolderDataset.Load(src), null, options with { SampleRate = 22050 });
        Assert.Equal(1, again.Count(PrepareAction.Resampled));
        Assert.Equal(1, again.Count(PrepareAction.Copied));
    }

    [Fact]
    public void Prepare_options_refuse_a_sample_rate_outside_8000_to_192000()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new PrepareOptions { OutputDirectory = "x", SampleRate = 100 }.Validate());
        Assert.Contains("SampleRate", e.Message);
        Assert.Contains("100", e.Message);
    }
}
