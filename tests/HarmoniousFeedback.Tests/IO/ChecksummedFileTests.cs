using System.Buffers.Binary;
using System.Security.Cryptography;
using HarmoniousFeedback.IO;
using HarmoniousFeedback.Nn;
using HarmoniousFeedback.Pipeline;
using Xunit;

namespace HarmoniousFeedback.Tests.IO;

public sealed class ChecksummedFileTests
{
    private static readonly byte[] Magic = "HFBTEST\0"u8.ToArray();

    /// <summary>Files written by commit 18cff7f, before model files and checkpoints shared this container.</summary>
    private static string Fixture(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "HarmoniousFeedback.Tests", "IO", "Data", name);

    [Fact]
    public void Encode_lays_out_magic_version_payload_and_sha256_of_the_rest()
    {
        byte[] payload = [10, 20, 30];
        var bytes = ChecksummedFile.Encode(Magic, 7, payload);
        Assert.Equal(8 + 4 + 3 + 32, bytes.Length);
        Assert.Equal(Magic, bytes[..8]);
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(payload, bytes[12..15]);
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, 15)), bytes[15..]);
        Assert.Equal(payload, ChecksummedFile.Decode(bytes, "mem", Magic, 7, "test file").ToArray());
    }

    [Fact]
    public void Decode_rejects_every_flipped_byte_every_truncation_and_appended_bytes()
    {
        var bytes = ChecksummedFile.Encode(Magic, 1, "a small payload"u8);
        for (int i = 0; i < bytes.Length; i++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x01;
            Assert.Throws<CheckpointException>(() => ChecksummedFile.Decode(flipped, "mem", Magic, 1, "test file"));
        }
        for (int n = 0; n < bytes.Length; n++)
            Assert.Throws<CheckpointException>(() => ChecksummedFile.Decode(bytes[..n], "mem", Magic, 1, "test file"));
        Assert.Throws<CheckpointException>(() => ChecksummedFile.Decode([.. bytes, 0], "mem", Magic, 1, "test file"));
    }

    [Fact]
    public void Decode_errors_name_the_source_and_what_is_wrong()
    {
        var bytes = ChecksummedFile.Encode(Magic, 1, "payload"u8);
        string Message(byte[] b, uint version = 1) => Assert.Throws<CheckpointException>(() => ChecksummedFile.Decode(b, "m.bin", Magic, version, "test file")).Message;

        Assert.Equal("m.bin: not a HarmoniousFeedback test file (magic bytes 'HFBTEST\\x00' missing; 5 bytes)", Message("RIFF."u8.ToArray()));
        Assert.Equal("m.bin: truncated test file: 10 bytes end inside the 12-byte header", Message(bytes[..10]));
        Assert.Equal("m.bin: test file format version 1 is not supported (this build reads version 2)", Message(bytes, version: 2));
        Assert.Equal("m.bin: truncated test file: 20 bytes, shorter than the 44-byte header and checksum", Message(bytes[..20]));
        var flipped = (byte[])bytes.Clone();
        flipped[13] ^= 0x40;
        Assert.Equal($"m.bin: SHA-256 checksum mismatch: the test file is corrupt or truncated ({bytes.Length} bytes)", Message(flipped));
    }

    [Fact]
    public void Read_names_a_missing_file()
    {
        var missing = Path.Combine(TestPaths.TempDir(), "missing.bin");
        var e = Assert.Throws<CheckpointException>(() => ChecksummedFile.Read(missing, Magic, 1, "test file"));
        Assert.StartsWith($"{missing}: cannot read test file", e.Message);
    }

    [Fact]
    public void Checkpoint_written_before_the_shared_container_loads_and_saves_to_the_same_bytes()
    {
        var fixture = Fixture("linear-v1.ckpt");
        var ck = Checkpoint.Load(fixture);
        Assert.Equal(3, ck.Epoch);
        Assert.Equal(12, ck.GlobalStep);
        Assert.Equal("SGD", ck.OptimizerType);
        Assert.Equal(123456789UL, ck.RngStates["trainer/shuffle"]);
        Assert.Equal("18cff7f", ck.Metadata["written-by"]);
        Assert.Equal([2, 3], ck.Model["weight"].Shape);
        var lin = new Linear(3, 2);
        ck.Restore(lin, null);
        var copy = Path.Combine(TestPaths.TempDir(), "copy.ckpt");
        ck.Save(copy);
        Assert.Equal(File.ReadAllBytes(fixture), File.ReadAllBytes(copy)); // the layout did not change
    }

    [Fact]
    public void Model_file_written_before_the_shared_container_loads_transforms_and_saves_to_the_same_bytes()
    {
        var fixture = Fixture("concatenate-v1.hfbmodel");
        var ctx = new HfContext(1);
        var model = ctx.Model.Load(fixture, out var schema);
        Assert.Equal(["Tempo", "Pitch"], schema.Select(c => c.Name));
        var table = new DataTable([
            new DataColumn<float>("Tempo", ColumnType.Float, [100f, 60f]),
            new DataColumn<float>("Pitch", ColumnType.Float, [1.5f, -2f]),
        ]);
        var f = model.Transform(table).Column<float[]>("F");
        Assert.Equal([100f, 1.5f], f[0]);
        Assert.Equal([60f, -2f], f[1]);
        var copy = Path.Combine(TestPaths.TempDir(), "copy.hfbmodel");
        ctx.Model.Save(model, schema, copy);
        Assert.Equal(File.ReadAllBytes(fixture), File.ReadAllBytes(copy));
    }

    [Fact]
    public void Model_file_of_another_version_is_named_as_such()
    {
        var path = Path.Combine(TestPaths.TempDir(), "m.hfbmodel");
        var bytes = File.ReadAllBytes(Fixture("concatenate-v1.hfbmodel"));
        bytes[8] = 2; // the version field
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => new HfContext(1).Model.Load(path, out _));
        Assert.Equal($"{path}: model file format version 2 is not supported (this build reads version 1)", e.Message);
    }
}
