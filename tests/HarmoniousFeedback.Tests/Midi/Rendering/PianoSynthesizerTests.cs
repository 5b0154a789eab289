using System.Numerics.Tensors;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Rendering;

public class PianoSynthesizerTests
{
    internal static MidiScore Score(params MidiNote[] notes) => new()
    {
        Notes = notes,
        Tempos = [new TempoChange(0, 0, 500_000)],
        TimeSignatures = [new TimeSignature(0, 0, 4, 4)],
        Controls = [],
        Source = "test",
    };

    private static MidiNote Note(double on, double off, int pitch, int vel, double? pedalOff = null) => new(on, off, pitch, vel, 0, pedalOff ?? off);

    private static double Rms(ReadOnlySpan<float> x) => x.Length == 0 ? 0 : Math.Sqrt(TensorPrimitives.SumOfSquares(x) / x.Length);

    /// <summary>|DFT| of x at frequency f (Hz), normalised by length: a sine of amplitude A gives ≈ A/2.</summary>
    private static double Magnitude(ReadOnlySpan<float> x, double f, int fs)
    {
        double re = 0, im = 0;
        for (int n = 0; n < x.Length; n++)
        {
            double ph = 2 * Math.PI * f * n / fs;
            re += x[n] * Math.Cos(ph);
            im -= x[n] * Math.Sin(ph);
        }
        return Math.Sqrt(re * re + im * im) / x.Length;
    }

    [Fact]
    public void Score_longer_than_the_render_limit_is_a_midi_format_error_not_an_out_of_memory_crash()
    {
        var synth = new PianoSynthesizer();
        double tail = 6.91 * synth.Options.ReleaseSeconds;
        // Just inside the limit: the length check passes (rendering 4 h is not done here; the limit is what is tested).
        Assert.Equal(RenderLength.MaxSeconds, RenderLength.Limit(16_000));
        RenderLength.Check(Score(), RenderLength.MaxSeconds, 16_000);
        // At 192 kHz 4 h would be 2.76e9 samples, more than an array holds: the limit shrinks to what fits.
        Assert.Equal(Math.Floor(Array.MaxLength / 192_000.0), RenderLength.Limit(192_000));

        // A note released after 4 h (as one maximal delta time at a slow tempo gives) is refused with a typed error.
        var e = Assert.Throws<MidiFormatException>(() => synth.Render(Score(Note(0, 1, 60, 100), Note(1, RenderLength.MaxSeconds, 64, 100))));
        Assert.Equal("test", e.Path);
        Assert.Contains($"the score lasts {(RenderLength.MaxSeconds + tail).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s", e.Message);
        Assert.Contains("at most 14400 s (4 h) at 16000 Hz", e.Message);

        // From the file: 480 ticks per quarter, 120 bpm, a note held for the largest delta time (2^28 − 1 ticks ≈ 77.7 h).
        var bytes = new SmfBuilder(format: 0).Add(new SmfBuilder.Track().On(0, 0, 60, 100).Off(0x0FFFFFFF, 0, 60).End()).Build();
        var score = MidiReader.Read(bytes, "long.mid");
        Assert.Equal(0x0FFFFFFF / 960.0, score.Notes[0].Offset, 1e-6);
        Assert.Contains("long.mid: the score lasts", Assert.Throws<MidiFormatException>(() => synth.Render(score)).Message);
        Assert.Throws<MidiFormatException>(() => new VariedPianoSynthesizer().Render(score, bytes));
    }

    [Fact]
    public void Damped_sine_recurrence_matches_scalar_reference()
    {
        // 20,000 samples cross four re-seed blocks; float recurrence error stays far below 1e-4 of the amplitude.
        var fast = new float[20_003];
        var slow = new float[20_003];
        PianoSynthesizer.AccumulateDampedSine(fast, 0.7f, 2.0 / 16000, 2 * Math.PI * 523.25 / 16000);
        PianoSynthesizer.AccumulateDampedSineReference(slow, 0.7f, 2.0 / 16000, 2 * Math.PI * 523.25 / 16000);
        double maxErr = 0;
        for (int i = 0; i < fast.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(fast[i] - slow[i]));
        Assert.True(maxErr < 1e-4, $"max |fast − reference| = {maxErr}");
    }

    [Fact]
    public void A4_has_its_energy_at_440_Hz_with_inharmonic_partials()
    {
        var o = new PianoSynthesizerOptions { Inharmonicity = 1e-3 };
        var clip = new PianoSynthesizer(o).Render(Score(Note(0, 1.0, 69, 100)));
        Assert.Equal(16000, clip.SampleRate);
        var x = clip.Channels[0].AsSpan(0, 8000);
        double at440 = Magnitude(x, 440, 16000), at466 = Magnitude(x, 466.16, 16000);
        Assert.True(at440 > 20 * at466, $"|X(440)| = {at440}, |X(466)| = {at466}");
        // Partial 3 sits at 3·440·sqrt(1 + 9B) = 1325.9 Hz, not at the harmonic 1320 Hz (half a second: 2 Hz resolution).
        double fk = 3 * 440 * Math.Sqrt(1 + 1e-3 * 9);
        Assert.True(Magnitude(x, fk, 16000) > 2 * Magnitude(x, 1320, 16000));
    }

    [Fact]
    public void Louder_velocity_is_louder_and_brighter()
    {
        var synth = new PianoSynthesizer();
        var soft = synth.Render(Score(Note(0, 1, 60, 30))).Channels[0].AsSpan(0, 8000);
        var loud = synth.Render(Score(Note(0, 1, 60, 120))).Channels[0].AsSpan(0, 8000);
        Assert.True(Rms(loud) > 4 * Rms(soft), $"rms loud {Rms(loud)} soft {Rms(soft)}");
        double f0 = 261.63;
        double Brightness(ReadOnlySpan<float> x) => Magnitude(x, 4 * f0 * Math.Sqrt(1 + 4e-4 * 16), 16000) / Magnitude(x, f0 * Math.Sqrt(1 + 4e-4), 16000);
        Assert.True(Brightness(loud) > 3 * Brightness(soft), $"partial-4/partial-1 loud {Brightness(loud)} soft {Brightness(soft)}");
    }

    [Fact]
    public void Pedal_sustains_after_key_release_and_can_be_disabled()
    {
        var note = Note(0, 0.2, 60, 90, pedalOff: 1.5);
        var withPedal = new PianoSynthesizer().Render(Score(note)).Channels[0];
        var noPedal = new PianoSynthesizer(new PianoSynthesizerOptions { Pedal = false }).Render(Score(note)).Channels[0];
        // 0.8–1.0 s: held by the pedal vs. released at 0.2 s with τ_r = 0.1 s (e^-6 ≈ −52 dB).
        double held = Rms(withPedal.AsSpan(12800, 3200));
        double released = noPedal.Length > 12800 ? Rms(noPedal.AsSpan(12800, Math.Min(3200, noPedal.Length - 12800))) : 0;
        Assert.True(held > 100 * released + 1e-6, $"pedal rms {held}, no pedal {released}");
        Assert.True(withPedal.Length > noPedal.Length);
        // Clip length = last release + 6.91 τ_r.
        Assert.Equal((int)Math.Ceiling((1.5 + 6.91 * 0.1) * 16000), withPedal.Length);
    }

    [Fact]
    public void Higher_notes_decay_faster()
    {
        var synth = new PianoSynthesizer();
        double Ratio(int pitch)
        {
            var x = synth.Render(Score(Note(0, 3, pitch, 90))).Channels[0];
            return Rms(x.AsSpan(2 * 16000, 1600)) / Rms(x.AsSpan(1600, 1600));
        }
        Assert.True(Ratio(84) < 0.5 * Ratio(48), $"decay ratio C6 {Ratio(84)}, C3 {Ratio(48)}");
    }

    [Fact]
    public void Dense_fortissimo_is_soft_limited_below_full_scale_and_quiet_music_is_untouched()
    {
        var cluster = Enumerable.Range(40, 48).Select(p => Note(0, 1, p, 127)).ToArray();
        var x = new PianoSynthesizer().Render(Score(cluster)).Channels[0];
        Assert.True(TensorPrimitives.MaxMagnitude(x) < 1f);
        Assert.True(TensorPrimitives.MaxMagnitude(x) > 0.9f); // the limiter was engaged

        var quiet = new PianoSynthesizer(new PianoSynthesizerOptions { LimiterThreshold = 0.9 }).Render(Score(Note(0, 1, 60, 40))).Channels[0];
        var raw = new PianoSynthesizer(new PianoSynthesizerOptions { LimiterThreshold = 1.0 }).Render(Score(Note(0, 1, 60, 40))).Channels[0];
        Assert.Equal(raw, quiet);
    }

    [Fact]
    public void Soft_limiter_is_continuous_at_the_threshold_and_monotonic()
    {
        float[] x = [0.5f, 0.9f, 0.9001f, 1.0f, 2.0f, 10f, -10f];
        var y = (float[])x.Clone();
        PianoSynthesizer.SoftLimit(y, 0.9f);
        Assert.Equal(0.5f, y[0]);
        Assert.Equal(0.9f, y[1]);
        Assert.InRange(y[2], 0.9f, 0.9002f);
        Assert.True(y[3] < y[4] && y[4] < y[5] && y[5] <= 1f);
        Assert.Equal(-y[5], y[6]);
    }

    [Fact]
    public void Rendering_is_deterministic_and_the_cache_key_names_every_option()
    {
        var s = Score(Note(0, 0.5, 60, 80), Note(0.25, 1, 64, 70), Note(0.5, 1.2, 67, 90));
        Assert.Equal(new PianoSynthesizer().Render(s).Channels[0], new PianoSynthesizer().Render(s).Channels[0]);
        var a = new PianoSynthesizer().CacheKey;
        Assert.NotEqual(a, new PianoSynthesizer(new PianoSynthesizerOptions { Pedal = false }).CacheKey);
        Assert.NotEqual(a, new PianoSynthesizer(new PianoSynthesizerOptions { Inharmonicity = 1e-3 }).CacheKey);
        Assert.NotEqual(a, new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 22050 }).CacheKey);
        Assert.Equal(a, new PianoSynthesizer(new PianoSynthesizerOptions()).CacheKey);
    }

    [Fact]
    public void Invalid_options_list_every_problem()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 100, PartialCount = 0, ReleaseSeconds = -1 }));
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains("SampleRate = 100"));
        Assert.Contains(e.Problems, p => p.Contains("PartialCount = 0"));
        Assert.Contains(e.Problems, p => p.Contains("ReleaseSeconds = -1"));
    }

    [Fact]
    public void Empty_score_gives_an_empty_clip()
    {
        var clip = new PianoSynthesizer().Render(Score());
        Assert.Equal(0, clip.Length);
    }
}
