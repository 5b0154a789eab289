using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Midi;
using HarmoniousFeedback.Midi.Rendering;

namespace HarmoniousFeedback.Tests.Models.TeachingFeedback;

/// <summary>A 12 s melody (one note every 0.25 s, pitches drawn by SplitMix64 from two octaves, so no 3 s stretch repeats another) and renditions of it.</summary>
internal static class StreamingFixture
{
    public const double Seconds = 12;

    /// <summary>The score; <paramref name="wrongFrom"/>–<paramref name="wrongTo"/> (s): notes starting there are a tritone (6 semitones) off — wrong notes.</summary>
    public static MidiScore Melody(double wrongFrom = double.NaN, double wrongTo = double.NaN)
    {
        var rng = new SplitMix64(SplitMix64.StateFromSeed(7));
        var notes = new List<MidiNote>();
        for (int k = 0; k < (int)(Seconds / 0.25); k++)
        {
            double on = k * 0.25;
            int pitch = 55 + (int)(rng.NextDouble() * 24);
            if (on >= wrongFrom && on < wrongTo) pitch += 6;
            notes.Add(new MidiNote(on, on + 0.22, pitch, 80, 0, on + 0.22));
        }
        return new MidiScore { Notes = notes, Tempos = [], TimeSignatures = [], Controls = [] };
    }

    public static AudioClip Render(MidiScore s) => new PianoSynthesizer(new PianoSynthesizerOptions { SampleRate = 16000 }).Render(s).AsMono();
}
