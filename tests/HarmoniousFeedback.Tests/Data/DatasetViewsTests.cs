using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Text;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.Tests.Features.Symbolic;
using Xunit;

namespace HarmoniousFeedback.Tests.Data;

public class DatasetViewsTests
{
    private static (Dataset Dataset, string Dir) TwoClips()
    {
        var dir = TestPaths.TempDir("hfb-views");
        var score = TestScores.Make(Enumerable.Range(0, 30).Select(i => (i * 0.3, 0.25, 55 + i % 12, 70)));
        var midi = Path.Combine(dir, "a.mid");
        File.WriteAllBytes(midi, TestScores.Bytes(Enumerable.Range(0, 30).Select(i => (i * 0.3, 0.25, 55 + i % 12, 70))));
        var wavA = Path.Combine(dir, "a.wav");
        WavWriter.Write(wavA, new PianoSynthesizer().Render(score));
        var wavB = Path.Combine(dir, "b.wav");
        WavWriter.Write(wavB, new PianoSynthesizer().Render(TestScores.Make(TestScores.Isochronous(16, 0.5, 0.3))));
        var clips = new[]
        {
            new Clip { Id = "a", GroupId = "g1", Label = "Q1", MidiPath = midi, AudioPath = wavA, Text = "Sad piano - relaxing" },
            new Clip { Id = "b", GroupId = "g2", Label = "Q2", AudioPath = wavB },
        };
        return (new Dataset("t", dir, clips), dir);
    }

    [Fact]
    public void Each_clip_gets_its_derivable_views_and_a_reason_for_each_missing_one()
    {
        var (ds, dir) = TwoClips();
        var v = DatasetViews.Extract(ds, new MultiViewOptions { TextMasking = EmotionMasking.Core, CacheDirectory = Path.Combine(dir, "cache") });
        var a = v[0];
        Assert.True(a.Has(ViewKind.Score) && a.Has(ViewKind.Performance) && a.Has(ViewKind.Text));
        Assert.True(a.SegmentsAlignedWithAudio);
        Assert.Contains("not requested", a.Missing[ViewKind.AudioRhythm]);
        Assert.Equal(2, a.MaskedWords);
        var lld = new LldExtractor().ComputeSegments(WavReader.Read(ds.Clips[0].AudioPath!));
        Assert.Equal(lld.FrameTimes, a.ScoreSegments!.FrameTimes);

        var b = v[1];
        Assert.Contains("no MIDI", b.Missing[ViewKind.Score]);
        Assert.Contains("no MIDI", b.Missing[ViewKind.Performance]);
        Assert.Contains("no text", b.Missing[ViewKind.Text]);
        Assert.Null(b.ScoreSegments);
        Assert.NotNull(b.AudioRhythm);
        Assert.Equal(new LldExtractor().ComputeSegments(WavReader.Read(ds.Clips[1].AudioPath!)).FrameTimes, b.AudioRhythm!.Segments.FrameTimes);

        var ex = Assert.Throws<DatasetException>(() => DatasetViews.ClipLevelTable(v, ViewKind.Score));
        Assert.Contains("'b'", ex.Message);
        var (x, names) = DatasetViews.ClipLevelTable([a], ViewKind.Score, ViewKind.Performance);
        Assert.Equal(120, names.Length);
        Assert.Equal("score.note_count", names[0]);
        Assert.Equal(30, x[0][0]);
    }

    [Fact]
    public void Results_do_not_depend_on_threads_or_the_cache()
    {
        var (ds, dir) = TwoClips();
        var o = new MultiViewOptions { AudioRhythmFor = AudioRhythmPolicy.AllClips };
        var one = DatasetViews.Extract(ds, o with { MaxDegreeOfParallelism = 1 });
        var two = DatasetViews.Extract(ds, o with { MaxDegreeOfParallelism = 2, CacheDirectory = Path.Combine(dir, "c") });
        var cached = DatasetViews.Extract(ds, o with { MaxDegreeOfParallelism = 2, CacheDirectory = Path.Combine(dir, "c") });
        Assert.True(cached[0].Symbolic!.FromCache);
        foreach (var other in new[] { two, cached })
            for (int i = 0; i < one.Count; i++)
            {
                Assert.Equal(one[i].ClipId, other[i].ClipId);
                Assert.Equal(one[i].ScoreSegments?.Data, other[i].ScoreSegments?.Data);
                Assert.Equal(one[i].PerformanceClip?.Data, other[i].PerformanceClip?.Data);
                Assert.Equal(one[i].AudioRhythm!.Segments.Data, other[i].AudioRhythm!.Segments.Data);
                Assert.Equal(one[i].AudioRhythm!.OnsetTimes, other[i].AudioRhythm!.OnsetTimes);
                Assert.Equal(one[i].TextTokens, other[i].TextTokens);
            }
    }

    [Fact]
    public void A_malformed_midi_stops_the_run_naming_the_clip()
    {
        var dir = TestPaths.TempDir("hfb-views-bad");
        var midi = Path.Combine(dir, "x.mid");
        File.WriteAllBytes(midi, "MThd\0\0"u8.ToArray());
        var ds = new Dataset("t", dir, [new Clip { Id = "x", GroupId = "g", Label = "Q1", MidiPath = midi }]);
        var e = Assert.Throws<DatasetException>(() => DatasetViews.Extract(ds));
        Assert.Contains("'x'", e.Message);
        Assert.IsType<MidiFormatException>(e.InnerException);
    }

    [Fact]
    public void A_fold_vocabulary_is_fitted_on_its_training_clips_only()
    {
        var views = new[]
        {
            new ClipViews { ClipId = "a", TextTokens = [1, 1, 2], Missing = new Dictionary<ViewKind, string>() },
            new ClipViews { ClipId = "b", TextTokens = [3, 3, 3], Missing = new Dictionary<ViewKind, string>() },
            new ClipViews { ClipId = "c", TextTokens = null, Missing = new Dictionary<ViewKind, string> { [ViewKind.Text] = "none" } },
        };
        var v = DatasetViews.FitVocabulary(views, [0, 2], new TextVocabularyOptions { MinFreq = 1 });
        Assert.Equal(new[] { 1, 2 }, v.RawIds);
        Assert.Equal(TextVocabulary.UnkId, v.IdOf(3)); // test clip b's token is unknown
    }
}
