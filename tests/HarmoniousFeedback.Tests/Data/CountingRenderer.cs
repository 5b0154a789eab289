using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Tests.Data;

/// <summary>A renderer wrapper that counts calls, to prove cache hits render nothing.</summary>
internal sealed class CountingRenderer(IMidiRenderer inner) : IMidiRenderer
{
    public int Calls;
    public string Name => inner.Name;
    public string CacheKey => inner.CacheKey;
    public int SampleRate => inner.SampleRate;
    public AudioClip Render(MidiScore score, byte[]? midiBytes)
    {
        Interlocked.Increment(ref Calls);
        return inner.Render(score, midiBytes);
    }
}
