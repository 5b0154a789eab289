using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Text;
using HarmoniousFeedback.Midi.Rendering;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Views;
using HarmoniousFeedback.Tests.Features.Symbolic;
using Xunit;

namespace HarmoniousFeedback.Tests.Pipeline.Views;

public class MultimodalViewTests
{
    /// <summary>A MIDI clip (30 notes over 9 s) rendered to 16 kHz with 6 s of silence appended, so the LLD's silent-tail rule drops trailing segments.</summary>
    private static ViewClip ClipWithSilentTail()
    {
        var dir = TestPaths.TempDir("hfb-mmviews");
        var notes = Enumerable.Range(0, 30).Select(i => (i * 0.3, 0.25, 55 + i % 12, 70)).ToArray();
        var midi = Path.Combine(dir, "a.mid");
        File.WriteAllBytes(midi, TestScores.Bytes(notes));
        var audio = new PianoSynthesizer().Render(TestScores.Make(notes));
        var padded = audio.AsMono().Channels[0].Concat(new float[6 * audio.SampleRate]).ToArray();
        var wav = Path.Combine(dir, "a.wav");
        WavWriter.Write(wav, new AudioClip(padded, audio.SampleRate));
        return new ViewClip("a", wav, midi, "Sad piano – relaxing music for sleep");
    }

    private static ConfiguredView View(string name, string? json = null, TailHandling tail = TailHandling.Trim) =>
        FeatureViewRegistry.Default.Get(name).Configure(json is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json), new ViewDefaults { Tail = tail });

    [Theory]
    [InlineData(TailHandling.Trim)]
    [InlineData(TailHandling.Keep)]
    public void Segment_views_have_the_rows_and_row_times_of_the_lld_view_after_its_tail_rule(TailHandling tail)
    {
        var clip = ClipWithSilentTail();
        var x = new ViewExtraction { Threads = 1 };
        var lld = (FeatureMatrix)View("lld", tail: tail).Extract([clip], x)[0];
        var full = new LldExtractor().ComputeSegments(WavReader.Read(clip.AudioPath));
        if (tail == TailHandling.Trim) Assert.True(lld.Rows < full.Rows, $"the 6 s of silence must be trimmed ({lld.Rows} of {full.Rows} rows)");
        foreach (var name in new[] { "score", "performance", "audio-rhythm" })
        {
            var m = (FeatureMatrix)View(name, tail: tail).Extract([clip], x)[0];
            Assert.Equal(lld.Rows, m.Rows);
            Assert.Equal(lld.FrameTimes, m.FrameTimes);
        }
    }

    [Fact]
    public void Score_views_drop_the_37_transposition_dependent_columns_on_request()
    {
        var clip = ClipWithSilentTail();
        var x = new ViewExtraction { Threads = 1 };
        var all = View("score");
        var invariant = View("score", """{ "transpositionInvariant": true }""");
        Assert.Equal(ColumnType.Sequence(98), all.Type);
        Assert.Equal(ColumnType.Sequence(61), invariant.Type);
        Assert.DoesNotContain("key_tonic", invariant.SlotNames!);
        Assert.Contains("pcrel_0", invariant.SlotNames!);
        var a = (FeatureMatrix)all.Extract([clip], x)[0];
        var b = (FeatureMatrix)invariant.Extract([clip], x)[0];
        int src = all.SlotNames!.ToList().IndexOf("mode_strength"), dst = invariant.SlotNames!.ToList().IndexOf("mode_strength");
        for (int r = 0; r < a.Rows; r++) Assert.Equal(a[r, src], b[r, dst]);
        Assert.Equal(ColumnType.Vector(61), View("score-clip", """{ "transpositionInvariant": true }""").Type);
        Assert.Equal(ColumnType.Vector(22), View("performance-clip").Type);
        var clipRow = (float[])View("score-clip").Extract([clip], x)[0];
        Assert.Equal(30f, clipRow[0]); // note_count over the whole clip
    }

    [Fact]
    public void Symbolic_views_name_the_clip_that_has_no_MIDI()
    {
        var audioOnly = new ViewClip("my-recording-7", "/x.wav");
        foreach (var name in new[] { "score", "performance", "score-clip", "performance-clip" })
        {
            var why = View(name).Missing(audioOnly);
            Assert.NotNull(why);
            Assert.Contains("'my-recording-7'", why);
            Assert.Contains("no MIDI", why);
        }
        Assert.Null(View("audio-rhythm").Missing(audioOnly));
        Assert.Null(View("text").Missing(audioOnly));
    }

    [Fact]
    public void Text_views_give_raw_token_ids_and_the_masked_view_replaces_emotion_words()
    {
        var clip = ClipWithSilentTail();
        var x = new ViewExtraction();
        var plain = (float[])View("text").Extract([clip], x)[0];
        var masked = (float[])View("text-masked").Extract([clip], x)[0];
        var extended = (float[])View("text-masked", """{ "masking": "extended" }""").Extract([clip], x)[0];
        Assert.DoesNotContain((float)TextTokenizer.MaskId, plain);
        Assert.Equal(clip.Text, TextTokenizer.Gpt2.Decode(plain.Select(t => (int)t)));
        // Core masks "Sad" and "relaxing"; Extended also "sleep"
        Assert.Equal(2, masked.Count(t => t == TextTokenizer.MaskId));
        Assert.Equal(3, extended.Count(t => t == TextTokenizer.MaskId));
        Assert.Equal("[MASK] piano – [MASK] music for sleep", TextTokenizer.Gpt2.Decode(masked.Select(t => (int)t)));
        Assert.Empty((float[])View("text").Extract([clip with { Text = null }], x)[0]);
        Assert.Equal(ColumnType.Vector(), View("text").Type);
        Assert.False(View("text").Normalizable);
    }
}
