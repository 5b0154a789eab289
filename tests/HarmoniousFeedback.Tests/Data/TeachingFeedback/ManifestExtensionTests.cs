using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HarmoniousFeedback.Data;
using Xunit;

namespace HarmoniousFeedback.Tests.Data.TeachingFeedback;

public class ManifestExtensionTests
{
    private static readonly ManifestClip Plain = new()
    {
        Id = "a", Label = "Q1", Group = "g", Split = "train", Valence = 0.25, Arousal = -0.5, Text = "t", Audio = "audio/a.wav",
        Midi = "midi/a.mid", MidiSha256 = "m", AudioSha256 = "x", RenderKey = "k",
    };

    [Fact]
    public void Manifest_without_the_new_fields_hashes_by_the_documented_line_format()
    {
        var m = Manifest.Create("synthetic", "src", new ManifestRenderer { Name = "r", CacheKey = "ck", SampleRate = 16000 }, ["Q1"], [Plain]);
        // docs/datasets.md: "format, name, renderer cache key" then per clip "id, label, group, split, valence, arousal,
        // SHA-256(text), midiSha256, sourceSha256, audioSha256", tab-separated, "R" numbers.
        string text = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("t")));
        string lines = $"1\tsynthetic\tck\na\tQ1\tg\ttrain\t{0.25.ToString("R", CultureInfo.InvariantCulture)}\t-0.5\t{text}\tm\t\tx\n";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines))), m.ManifestHash);
    }

    [Fact]
    public void Targets_renderer_and_reference_enter_the_hash_and_survive_a_write_read_round_trip()
    {
        var clip = Plain with
        {
            Targets = new Dictionary<string, double> { ["pitch"] = 0.5, ["tone"] = -0.25 },
            Renderer = "builtin",
            ReferenceAudio = "reference/r.builtin.wav",
            ReferenceAudioSha256 = "ra",
            ReferenceMidi = "reference/r.mid",
            ReferenceMidiSha256 = "rm",
        };
        var renderers = new[] { new ManifestRenderer { Name = "builtin", CacheKey = "ck", SampleRate = 16000 } };
        var m = Manifest.Create("feedback", "src", null, ["Q1"], [clip], renderers);
        Assert.NotEqual(Manifest.Create("feedback", "src", null, ["Q1"], [Plain], renderers).ManifestHash, m.ManifestHash);
        Assert.NotEqual(Manifest.Create("feedback", "src", null, ["Q1"], [clip with { Targets = new Dictionary<string, double> { ["pitch"] = 0.6 } }], renderers).ManifestHash, m.ManifestHash);
        var dir = TestPaths.TempDir();
        m.Write(dir);
        var read = Manifest.Read(dir);
        Assert.Equal(m.ManifestHash, read.ManifestHash);
        var loaded = read.ToDataset(dir).Clips.Single();
        Assert.Equal(0.5, loaded.Targets!["pitch"]);
        Assert.Equal("builtin", loaded.Renderer);
        Assert.Equal(Path.GetFullPath(Path.Combine(dir, "reference/r.builtin.wav")), loaded.ReferenceAudioPath);
        Assert.Equal(Path.GetFullPath(Path.Combine(dir, "reference/r.mid")), loaded.ReferenceMidiPath);
        Assert.Equal("builtin", read.Renderers!.Single().Name);
    }
}
