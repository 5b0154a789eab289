using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Rendering;

public class VariedPianoSynthesizerTests
{
    private static MidiScore Score(int pitch) => PianoSynthesizerTests.Score(new MidiNote(0, 0.5, pitch, 90, 0, 0.5));

    [Fact]
    public void Same_score_gets_the_same_voicing_and_the_same_audio()
    {
        var synth = new VariedPianoSynthesizer();
        var score = Score(60);
        var a = synth.Render(score, null);
        var b = synth.Render(score, MidiWriter.ToBytes(score));   // null bytes mean the score written by MidiWriter
        Assert.Equal(a.Channels[0], b.Channels[0]);
    }

    [Fact]
    public void Different_scores_and_seeds_get_different_voicings()
    {
        var synth = new VariedPianoSynthesizer();
        byte[] x = MidiWriter.ToBytes(Score(60)), y = MidiWriter.ToBytes(Score(62));
        Assert.NotEqual(synth.VoicingFor(x), synth.VoicingFor(y));
        Assert.NotEqual(synth.VoicingFor(x), new VariedPianoSynthesizer(new VariedPianoOptions { Seed = 2 }).VoicingFor(x));
        Assert.NotEqual(synth.CacheKey, new VariedPianoSynthesizer(new VariedPianoOptions { Seed = 2 }).CacheKey);
    }

    [Fact]
    public void Every_drawn_parameter_stays_within_spread_of_the_base_voicing()
    {
        var o = new VariedPianoOptions { Spread = 1.5 };
        var b = o.Base;
        var synth = new VariedPianoSynthesizer(o);
        double lo = 1 / 1.5 - 1e-12, hi = 1.5 + 1e-12;
        for (int p = 30; p < 90; p++)
        {
            var v = synth.VoicingFor(MidiWriter.ToBytes(Score(p)));
            v.Validate();
            foreach (var (drawn, baseValue) in new[]
                     {
                         (v.Inharmonicity, b.Inharmonicity), (v.PromptDecaySeconds, b.PromptDecaySeconds), (v.AftersoundDecaySeconds, b.AftersoundDecaySeconds),
                         (v.AftersoundWeight, b.AftersoundWeight), (v.DecayOctaves, b.DecayOctaves), (v.PartialDamping, b.PartialDamping),
                         (v.VelocityExponent, b.VelocityExponent), (v.SoftSpectralSlope, b.SoftSpectralSlope), (v.LoudSpectralSlope, b.LoudSpectralSlope),
                         (v.ReleaseSeconds, b.ReleaseSeconds), (v.Gain, b.Gain),
                     })
                Assert.InRange(drawn / baseValue, lo, hi);
            Assert.InRange(v.PartialCount, 8, 18);   // round(12 / 1.5) … round(12 · 1.5)
            Assert.InRange(v.KeyLevelSpreadDb, 0, o.KeyLevelSpreadDb);
            Assert.Equal(b.SampleRate, v.SampleRate);
        }
    }

    [Fact]
    public void Uneven_voicing_changes_each_key_by_at_most_the_spread_and_the_same_key_alike()
    {
        var even = new PianoSynthesizerOptions();
        var uneven = even with { KeyLevelSpreadDb = 6, KeyLevelSeed = 42 };
        var levels = Enumerable.Range(21, 88).Select(p => 20 * Math.Log10(PianoSynthesizer.KeyLevel(uneven, p))).ToArray();
        Assert.All(levels, db => Assert.InRange(db, -6, 6));
        Assert.True(levels.Max() - levels.Min() > 8, "88 keys drawn from ±6 dB spread over more than 8 dB");
        Assert.Equal(PianoSynthesizer.KeyLevel(uneven, 60), PianoSynthesizer.KeyLevel(uneven, 60));
        Assert.NotEqual(PianoSynthesizer.KeyLevel(uneven, 60), PianoSynthesizer.KeyLevel(uneven with { KeyLevelSeed = 43 }, 60));
        Assert.Equal(1.0, PianoSynthesizer.KeyLevel(even, 60));
        // a rendered note is scaled by exactly its key's factor (the limiter stays inactive at this level)
        var score = Score(60);
        float peakEven = new PianoSynthesizer(even).Render(score).Channels[0].Max(Math.Abs);
        float peakUneven = new PianoSynthesizer(uneven).Render(score).Channels[0].Max(Math.Abs);
        Assert.Equal(PianoSynthesizer.KeyLevel(uneven, 60), peakUneven / peakEven, 1e-4);
        // the even voicing's cache key is unchanged (renders cached before the option existed stay valid)
        Assert.DoesNotContain("keys=", even.ToKeyString());
        Assert.Contains("keys=6/42", uneven.ToKeyString());
    }

    [Fact]
    public void Upright_voicing_is_outside_the_default_family()
    {
        // builtin-upright is held out as an unseen instrument when builtin-varied is trained on (FeedbackRenderers)
        var b = new VariedPianoOptions().Base;
        Assert.True(PianoSynthesizerOptions.Upright.Inharmonicity / b.Inharmonicity > 1.5);
        Assert.True(PianoSynthesizerOptions.Upright.PartialDamping / b.PartialDamping > 1.5);
    }

    [Fact]
    public void Spread_outside_its_range_is_rejected()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new VariedPianoSynthesizer(new VariedPianoOptions { Spread = 0.5 }));
        Assert.Contains("Spread", e.Message);
    }
}
