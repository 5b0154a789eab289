using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Midi.Rendering;
using Xunit;

namespace HarmoniousFeedback.Tests.Data;

public class FolderDecodeTests
{
    [HarmoniousFeedback.Tests.Audio.ToolFact("ffmpeg")]
    public void Flac_clips_are_decoded_to_wav_at_their_own_rate_and_tracked_by_source_hash()
    {
        var src = TestPaths.TempDir();
        var wav = Path.Combine(src, "tone.wav");
        var tone = Enumerable.Range(0, 11025).Select(n => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * n / 22050))).ToArray();
        WavWriter.Write(wav, new AudioClip(tone, 22050));
        var flac = Path.Combine(src, "tone.flac");
        var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffmpeg", ["-nostdin", "-loglevel", "error", "-i", wav, flac]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        File.Delete(wav);
        File.WriteAllText(Path.Combine(src, "clips.csv"), "path,label\ntone.flac,calm\n");
        var dir = TestPaths.TempDir();
        var r = DatasetPreparer.Prepare(FolderDataset.Load(src), null, new PrepareOptions { OutputDirectory = dir });
        Assert.Equal(1, r.Count(PrepareAction.Copied));
        var e = r.Manifest.Clips[0];
        Assert.Equal(RenderCache.Sha256Hex(File.ReadAllBytes(flac)), e.SourceSha256);
        var back = Dataset.Load(dir).Clips[0].LoadAudio();
        Assert.Equal(22050, back.SampleRate);
        Assert.Equal(11025, back.Length);
        Assert.True(Math.Abs(back.Channels[0][100] - tone[100]) < 1e-3); // FLAC is lossless; 16-bit quantisation only
        Assert.True(DatasetPreparer.Prepare(FolderDataset.Load(src), null, new PrepareOptions { OutputDirectory = dir }).UpToDate);
    }
}
