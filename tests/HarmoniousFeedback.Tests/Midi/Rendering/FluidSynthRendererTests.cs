using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi.Rendering;

public class FluidSynthRendererTests
{
    [FluidSynthFact]
    public void Score_longer_than_the_render_limit_is_refused_before_fluidsynth_runs()
    {
        var r = new FluidSynthRenderer(new FluidSynthOptions { SampleRate = 16000 });
        var score = PianoSynthesizerTests.Score(new MidiNote(0, 1.0, 69, 100, 0, 1.0), new MidiNote(1, 2, 60, 100, 0, RenderLength.MaxSeconds + 1));
        var e = Assert.Throws<MidiFormatException>(() => r.Render(score, null));
        Assert.Contains("test: the score lasts 14401 s", e.Message);
    }

    [FluidSynthFact]
    public void Renders_mono_audio_at_the_requested_rate_with_energy_at_the_note()
    {
        var r = new FluidSynthRenderer(new FluidSynthOptions { SampleRate = 16000 });
        var clip = r.Render(PianoSynthesizerTests.Score(new MidiNote(0, 1.0, 69, 100, 0, 1.0)), null);
        Assert.Equal(1, clip.ChannelCount);
        Assert.Equal(16000, clip.SampleRate);
        Assert.InRange(clip.DurationSeconds, 0.9, 5);
        var x = clip.Channels[0][..8000];
        double Mag(double f)
        {
            double re = 0, im = 0;
            for (int n = 0; n < x.Length; n++) { re += x[n] * Math.Cos(2 * Math.PI * f * n / 16000); im += x[n] * Math.Sin(2 * Math.PI * f * n / 16000); }
            return Math.Sqrt(re * re + im * im);
        }
        Assert.True(Mag(440) > 10 * Mag(466.16), $"|X(440)| {Mag(440)} vs |X(466)| {Mag(466.16)}");
        Assert.StartsWith("fluidsynth/sr=16000;g=0.5;sf=", r.CacheKey);
    }

    [Fact]
    public void Missing_soundfont_and_program_raise_ExternalToolException_naming_them()
    {
        var e = Assert.Throws<ExternalToolException>(() => new FluidSynthRenderer(new FluidSynthOptions { SoundFont = "/nonexistent/x.sf2" }));
        Assert.Equal("fluidsynth", e.Tool);
        Assert.Contains("/nonexistent/x.sf2", e.Message);
        Assert.Contains("fluid-soundfont-gm", e.Message);

        var sf = Path.Combine(TestPaths.TempDir(), "fake.sf2");
        File.WriteAllBytes(sf, [0]);
        var e2 = Assert.Throws<ExternalToolException>(() => new FluidSynthRenderer(new FluidSynthOptions { SoundFont = sf, Executable = "/nonexistent/fluidsynth-bin" }));
        Assert.Contains("fluidsynth is not installed", e2.Message);
    }
}
