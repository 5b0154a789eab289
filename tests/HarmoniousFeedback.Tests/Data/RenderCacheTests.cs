using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Data;

public class RenderCacheTests
{
    [Fact]
    public void Key_depends_on_midi_and_renderer_and_a_hit_renders_nothing()
    {
        var dir = TestPaths.TempDir();
        var cache = new RenderCache(dir);
        var score = HarmoniousFeedback.Tests.Midi.Rendering.PianoSynthesizerTests.Score(new MidiNote(0, 0.3, 60, 90, 0, 0.3));
        var bytes = MidiWriter.ToBytes(score);
        var r = new CountingRenderer(new PianoSynthesizer());
        var p1 = cache.GetOrRender(r, bytes, () => score, out bool rendered1);
        var p2 = cache.GetOrRender(r, bytes, () => throw new InvalidOperationException("a hit must not parse"), out bool rendered2);
        Assert.True(rendered1);
        Assert.False(rendered2);
        Assert.Equal(p1, p2);
        Assert.Equal(1, r.Calls);
        Assert.Equal(RenderCache.Key(RenderCache.Sha256Hex(bytes), r), Path.GetFileNameWithoutExtension(p1));
        Assert.NotEqual(RenderCache.Key(RenderCache.Sha256Hex(bytes), r), RenderCache.Key(RenderCache.Sha256Hex(bytes), new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 22050 })));
        Assert.DoesNotContain(Directory.GetFiles(dir, "*", SearchOption.AllDirectories), f => f.Contains(".tmp-"));
    }
}
