using HarmoniousFeedback.IO;
using Xunit;

namespace HarmoniousFeedback.Tests.IO;

public sealed class AtomicFileTests
{
    private static string[] TempFiles(string dir) => Directory.GetFiles(dir, "*" + AtomicFile.TempMarker + "*", SearchOption.AllDirectories);

    [Fact]
    public void Write_replaces_content_creates_folders_and_leaves_no_temp_file()
    {
        var dir = Path.Combine(TestPaths.TempDir(), "a", "b");
        var path = Path.Combine(dir, "x.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second ü");
        Assert.Equal("second ü", File.ReadAllText(path));
        Assert.Equal([0x73], File.ReadAllBytes(path)[..1]); // 's': no byte-order mark
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        AtomicFile.Write(path, s => s.Write([4, 5]));
        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Failing_writer_leaves_the_old_file_intact_and_no_temp_file()
    {
        var dir = TestPaths.TempDir();
        var path = Path.Combine(dir, "model.bin");
        AtomicFile.WriteAllText(path, "old content");
        var e = Assert.Throws<InvalidDataException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[4096]); // half-written new content …
            throw new InvalidDataException("writer failed");
        }));
        Assert.Equal("writer failed", e.Message); // the writer's own error reaches the caller
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Empty(TempFiles(dir));
    }

    [Fact]
    public void Failing_rename_keeps_the_target_and_removes_the_temp_file()
    {
        var dir = TestPaths.TempDir();
        var target = Path.Combine(dir, "target");
        Directory.CreateDirectory(target); // a folder where the file should go: the rename must fail
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.True(Directory.Exists(target));
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task Concurrent_writers_never_expose_a_partial_file()
    {
        // Four writers replace one file with 64 KiB blocks of their own byte while two readers read it in a loop: every
        // read must see exactly one writer's complete block (full length, one byte value), never a mix or a prefix.
        const int size = 1 << 16, writes = 40;
        var dir = TestPaths.TempDir();
        var path = Path.Combine(dir, "shared.bin");
        AtomicFile.WriteAllBytes(path, Block(0, size));
        using var stop = new CancellationTokenSource();
        int reads = 0;
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var b = File.ReadAllBytes(path);
                Interlocked.Increment(ref reads);
                if (b.Length != size) problems.Enqueue($"read {b.Length} bytes, expected {size}");
                else if (b.AsSpan().IndexOfAnyExcept(b[0]) is var i and >= 0) problems.Enqueue($"mixed content: byte 0 = {b[0]}, byte {i} = {b[i]}");
            }
        })).ToArray();
        // The readers must be running before the writers start (on a busy 2-core machine the thread pool may otherwise
        // schedule every writer first and the test would check nothing).
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref reads) < 2 && started.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(1);
        Assert.True(Volatile.Read(ref reads) >= 2, "the readers did not start within 30 s");
        int readsBefore = Volatile.Read(ref reads);
        var writers = Enumerable.Range(1, 4).Select(w => Task.Run(() =>
        {
            for (int k = 0; k < writes; k++) AtomicFile.WriteAllBytes(path, Block((byte)w, size));
        })).ToArray();
        await Task.WhenAll(writers);
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Empty(problems);
        Assert.True(reads > readsBefore, "no read overlapped the writes");
        Assert.Empty(TempFiles(dir));
        var last = File.ReadAllBytes(path);
        Assert.Contains(last[0], new byte[] { 1, 2, 3, 4 });
    }

    [Fact]
    public void Temp_files_use_one_naming_scheme_that_git_ignores()
    {
        var path = Path.Combine(TestPaths.TempDir(), "table.csv");
        var tmp = AtomicFile.TempPathFor(path);
        Assert.Matches(@"table\.csv\.tmp-[0-9a-f]{8}$", tmp);
        Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(tmp)); // same folder: the rename is atomic
        Assert.NotEqual(tmp, AtomicFile.TempPathFor(path));
        var gitignore = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, ".gitignore"));
        Assert.Contains("*" + AtomicFile.TempMarker + "*", gitignore);
    }

    private static byte[] Block(byte value, int size)
    {
        var b = new byte[size];
        Array.Fill(b, value);
        return b;
    }
}
