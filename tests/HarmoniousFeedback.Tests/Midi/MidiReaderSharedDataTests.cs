using HarmoniousFeedback.Midi;
using Xunit;

namespace HarmoniousFeedback.Tests.Midi;

/// <summary>Real files from the shared corpora: EMOPIA (pop piano) and VGMidi (video-game piano arrangements).</summary>
public class MidiReaderSharedDataTests
{
    /// <summary>Corpus folder and its pitch range: EMOPIA is transcribed piano (A0 = 21 .. C8 = 108); VGMidi arrangements
    /// stray a little above the keyboard (one phrase reaches 109), so only the MIDI range is required there.</summary>
    public static TheoryData<string, int, int> Corpora => new() { { "emopia/midis", 21, 108 }, { "vgmidi/phrases", 0, 127 } };

    /// <summary>
    /// Every 8th file of the corpus (sorted by name; a fixed sample keeps the run short on a shared machine — all
    /// 1078 + 204 files were read when this test was written) parses; each has notes, pitches in the corpus' range, velocities 1..127, positive note lengths, onsets sorted, and a plausible length (clips and phrases are
    /// seconds to minutes long: 1 s .. 30 min).
    /// </summary>
    [SharedDataTheory]
    [MemberData(nameof(Corpora))]
    public void Sampled_files_of_the_corpus_read_with_plausible_notes(string folder, int minPitch, int maxPitch)
    {
        var files = Directory.GetFiles(TestPaths.Shared("datasets", folder), "*.mid").Order(StringComparer.Ordinal).Where((_, i) => i % 8 == 0).ToArray();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var s = MidiReader.Read(file);
            Assert.True(s.Notes.Count > 0, $"{file}: no notes");
            Assert.Equal(file, s.Source);
            double prev = double.NegativeInfinity;
            foreach (var n in s.Notes)
            {
                // Checked without Assert inside the loop: building a message per note would dominate the run time.
                bool ok = n.Pitch >= minPitch && n.Pitch <= maxPitch && n.Velocity is >= 1 and <= 127
                          && n.Offset > n.Onset && n.PedalOffset >= n.Offset && n.Onset >= prev;
                if (!ok) Assert.Fail($"{file}: implausible or unsorted note {n} (previous onset {prev})");
                prev = n.Onset;
            }
            Assert.InRange(s.Duration, 1.0, 1800.0);
            Assert.NotEmpty(s.Tempos);
        }
    }
}
