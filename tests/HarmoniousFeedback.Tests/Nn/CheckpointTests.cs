using HarmoniousFeedback.Nn;
using Xunit;

namespace HarmoniousFeedback.Tests.Nn;

public sealed class CheckpointTests
{
    private static (Module Model, Optimizer Opt, string Path) Saved()
    {
        var m = new ToyLstmClassifier(3, 4, 2, seed: 1);
        var opt = new AdamW(m.Parameters(), 1e-2);
        foreach (var p in m.Parameters()) p.Grad = Tensor.Full(0.5f, p.Shape.ToArray());
        opt.Step();
        var path = Path.Combine(TestPaths.TempDir("hfb-nn-ckpt"), "m.ckpt");
        Checkpoint.Capture(m, opt, epoch: 7, globalStep: 42, metadata: new Dictionary<string, string> { ["note"] = "x" }).Save(path);
        return (m, opt, path);
    }

    [Fact]
    public void Round_trip_restores_weights_optimizer_state_and_header()
    {
        var (m, opt, path) = Saved();
        var ck = Checkpoint.Load(path);
        Assert.Equal(7, ck.Epoch);
        Assert.Equal(42, ck.GlobalStep);
        Assert.Equal("x", ck.Metadata["note"]);
        var m2 = new ToyLstmClassifier(3, 4, 2, seed: 2);
        var opt2 = new AdamW(m2.Parameters(), 1);
        ck.Restore(m2, opt2);
        Assert.Equal(m.Parameters().SelectMany(p => p.ToArray()), m2.Parameters().SelectMany(p => p.ToArray()));
        Assert.Equal(opt.StepCount, opt2.StepCount);
        Assert.Equal(opt.Lr, opt2.Lr);
        foreach (var (k, v) in opt.State()) Assert.Equal(v, opt2.State()[k]);
    }

    [Fact]
    public void Truncated_file_is_rejected()
    {
        var (_, _, path) = Saved();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains("corrupt or truncated", ex.Message);
        File.WriteAllBytes(path, bytes[..10]);
        Assert.Contains("truncated", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void Flipped_byte_is_detected_by_the_checksum()
    {
        var (_, _, path) = Saved();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("SHA-256 checksum mismatch", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void Foreign_file_and_other_version_are_named()
    {
        var (_, _, path) = Saved();
        var bytes = File.ReadAllBytes(path);
        var wav = Path.Combine(Path.GetDirectoryName(path)!, "not.ckpt");
        File.WriteAllBytes(wav, "RIFF....WAVEfmt "u8.ToArray());
        Assert.Contains("not a HarmoniousFeedback checkpoint", Assert.Throws<CheckpointException>(() => Checkpoint.Load(wav)).Message);
        bytes[8] = 9;  // version field
        File.WriteAllBytes(path, bytes);
        Assert.Contains("version 9", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
        Assert.Throws<CheckpointException>(() => Checkpoint.Load(Path.Combine(Path.GetDirectoryName(path)!, "missing.ckpt")));
    }

    [Fact]
    public void Checkpoint_of_another_model_is_rejected_with_the_keys()
    {
        var (_, _, path) = Saved();
        var other = new ToyLstmClassifier(3, 5, 2, seed: 1);  // hidden 5 instead of 4
        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path).Restore(other, null));
        Assert.Contains("lstm.weight_ih_l0: checkpoint shape [16, 3] vs model shape [20, 3]", ex.Message);
        var lin = new Linear(3, 2);
        var ex2 = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path).Restore(lin, null));
        Assert.Contains("missing keys: weight, bias", ex2.Message);
        var m = new ToyLstmClassifier(3, 4, 2, seed: 1);
        Assert.Contains("AdamW", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path).Restore(m, new SGD(m.Parameters(), 0.1))).Message);
    }

    [Fact]
    public void Save_overwrites_atomically_without_leaving_temp_files()
    {
        var (m, opt, path) = Saved();
        Checkpoint.Capture(m, opt, 8, 50).Save(path);
        Assert.Equal(8, Checkpoint.Load(path).Epoch);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
