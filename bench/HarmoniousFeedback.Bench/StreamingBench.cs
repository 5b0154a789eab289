using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Audio;
using HarmoniousFeedback.Features;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench streaming [--json] [--durations 60,600,3600,36000] [--kinds lld,mfcc] [--whole-up-to 3600] [--hfb PATH]</c>:
/// peak memory (max resident set, from GNU time's <c>%M</c>, i.e. <c>wait4</c>'s <c>ru_maxrss</c>) and wall time of
/// <c>hfb features &lt;kind&gt;</c> on 16 kHz int16 mono WAVs of the given durations, each run as its own process. The WAVs are
/// generated once into <c>data/bench-streaming/</c> (git-ignored; 10 h = 1.15 GB) from a deterministic recording-like signal
/// (harmonic tone with F0 steps every 0.5 s, −30 dB noise, 0.2 s pauses every 3 s). For durations up to
/// <c>--whole-up-to</c> it also runs the whole-file path the CLI used before streaming (<c>AudioFile.Read</c> → extractor
/// <c>Compute</c> → <c>FeatureCsv.Write</c>, a child <c>hfb-bench streaming --whole-child</c>), for comparison.
/// </summary>
public sealed class StreamingBench : IBenchSuite
{
    public string Name => "streaming";
    public string Description => "peak memory of hfb features on 1 min … 10 h of audio (streaming vs whole file)";

    private const int Rate = 16000;

    public int Run(string[] args)
    {
        if (args.Length == 3 && args[0] == "--whole-child") return WholeChild(args[1], args[2]);
        bool json = args.Contains("--json");
        long[] durations = [60, 600, 3600, 36000];
        string[] kinds = ["lld", "mfcc"];
        long wholeUpTo = 3600;
        string? hfb = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--json": break;
                case "--durations": durations = Next().Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--kinds": kinds = Next().Split(','); break;
                case "--whole-up-to": wholeUpTo = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--hfb": hfb = Next(); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: hfb-bench streaming [--json] [--durations 60,600,3600,36000] [--kinds lld,mfcc] [--whole-up-to 3600] [--hfb PATH]");
                    return 2;
            }
        }
        if (durations.Any(d => d <= 0) || kinds.Any(k => k is not ("lld" or "mfcc" or "pitch" or "spectrogram")))
        {
            Console.Error.WriteLine("--durations must be positive seconds; --kinds are lld, mfcc, pitch, spectrogram");
            return 2;
        }
        var root = RepoRoot();
        hfb ??= Path.Combine(root, "src", "HarmoniousFeedback.Cli", "bin", "Release", "net10.0", "hfb.dll");
        if (!File.Exists(hfb)) { Console.Error.WriteLine($"{hfb} not found; build it first: dotnet build src/HarmoniousFeedback.Cli -c Release"); return 2; }
        if (!File.Exists("/usr/bin/time")) { Console.Error.WriteLine("needs GNU time (/usr/bin/time; Debian: apt-get install time) for the peak resident set"); return 2; }
        var dir = Path.Combine(root, "data", "bench-streaming");
        Directory.CreateDirectory(dir);
        var self = Path.Combine(AppContext.BaseDirectory, "hfb-bench.dll");

        Console.Error.WriteLine($"streaming: hfb features on 16 kHz int16 mono WAV; {Environment.ProcessorCount} cores; load average {LoadAverage()}");
        var results = new List<Dictionary<string, object>>();
        foreach (var seconds in durations)
        {
            var wav = Path.Combine(dir, $"rec-{seconds}s.wav");
            if (!File.Exists(wav) || new FileInfo(wav).Length != 44 + seconds * Rate * 2) Generate(wav, seconds);
            double fileMb = new FileInfo(wav).Length / 1048576.0;
            foreach (var kind in kinds)
            {
                var csv = Path.Combine(dir, $"out-{seconds}s-{kind}.csv");
                var modes = new List<(string Mode, string[] Argv)> { ("streaming", ["dotnet", hfb, "features", kind, "--input", wav, "--out", csv]) };
                if (seconds <= wholeUpTo) modes.Add(("whole file", ["dotnet", self, "streaming", "--whole-child", kind, wav]));
                foreach (var (mode, argv) in modes)
                {
                    var (rssKb, wall) = Measure(argv);
                    File.Delete(csv);
                    double rssMb = rssKb / 1024.0;
                    Console.Error.WriteLine($"  {Hours(seconds),8} {fileMb,9:F1} MB  {kind,-5} {mode,-10}  peak RSS {rssMb,8:F0} MB  wall {wall,8:F1} s  ({seconds / wall,6:F0} × realtime)  load {LoadAverage()}");
                    results.Add(new()
                    {
                        ["case"] = $"{kind}/{mode.Replace(' ', '-')}/{seconds}s", ["audio_seconds"] = seconds, ["file_mb"] = Math.Round(fileMb, 1),
                        ["value"] = Math.Round(rssMb, 1), ["unit"] = "peak_rss_mb", ["wall_seconds"] = Math.Round(wall, 1),
                    });
                }
            }
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }

    private static string Hours(long s) => s >= 3600 ? $"{s / 3600.0:0.#} h" : s >= 60 ? $"{s / 60.0:0.#} min" : $"{s} s";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>Runs <paramref name="argv"/> under GNU time; returns its max resident set (KiB) and the wall time (s).</summary>
    private static (long RssKb, double Wall) Measure(string[] argv)
    {
        var report = Path.GetTempFileName();
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "%M %e", "-o", report }.Concat(argv)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', argv)} failed ({p.ExitCode}): {err.Result}");
        var f = File.ReadAllText(report).Trim().Split('\n')[^1].Split(' ');
        File.Delete(report);
        return (long.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The whole-file path the CLI used before streaming (for comparison): decode everything, compute, write.</summary>
    private static int WholeChild(string kind, string wav)
    {
        var clip = AudioFile.Read(wav, mono: true);
        var m = kind switch
        {
            "lld" => new LldExtractor().ComputeSegments(clip),
            "mfcc" => new Mfcc().Compute(clip),
            "pitch" => new PitchTracker().Compute(clip),
            _ => new Spectrogram().Compute(clip),
        };
        FeatureCsv.Write(m, wav + ".whole.csv", includeTime: kind is "lld" or "pitch");
        File.Delete(wav + ".whole.csv");
        return 0;
    }

    /// <summary>Writes <paramref name="seconds"/> of the test signal as a 16 kHz int16 mono WAV, block by block.</summary>
    private static void Generate(string path, long seconds)
    {
        Console.Error.WriteLine($"  generating {path} ({Hours(seconds)})");
        long n = seconds * Rate;
        using var f = new FileStream(path + ".part", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var head = new byte[44];
        "RIFF"u8.CopyTo(head); BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(4), (uint)(36 + n * 2));
        "WAVEfmt "u8.CopyTo(head.AsSpan(8)); BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(20), 1); BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(24), Rate); BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(28), Rate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(32), 2); BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(34), 16);
        "data"u8.CopyTo(head.AsSpan(36)); BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(40), (uint)(n * 2));
        f.Write(head);
        var rng = new SplitMix64(12345);
        var block = new byte[65536 * 2];
        double phase = 0;
        for (long t0 = 0; t0 < n; t0 += 65536)
        {
            int len = (int)Math.Min(65536, n - t0);
            for (int i = 0; i < len; i++)
            {
                double time = (t0 + i) / (double)Rate;
                double f0 = 110 * Math.Pow(2, (long)(time * 2) % 37 / 12.0);
                phase += f0 / Rate;
                phase -= Math.Floor(phase);
                double s = 0;
                if (time % 3.0 <= 2.8) for (int h = 1; h <= 6; h++) s += Math.Sin(2 * Math.PI * h * phase) / h;
                double v = 0.25 * s + 0.01 * (rng.NextDouble() * 2 - 1);
                BinaryPrimitives.WriteInt16LittleEndian(block.AsSpan(2 * i), (short)Math.Clamp(Math.Round(v * 32767), -32768, 32767));
            }
            f.Write(block, 0, 2 * len);
        }
        f.Close();
        File.Move(path + ".part", path, overwrite: true);
    }

    private static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "HarmoniousFeedback.sln"))) d = d.Parent;
        return d?.FullName ?? Directory.GetCurrentDirectory();
    }
}
