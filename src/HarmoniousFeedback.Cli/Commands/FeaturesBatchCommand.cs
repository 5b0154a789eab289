using System.CommandLine;
using HarmoniousFeedback.Features;
using Spectre.Console;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb features batch --list clips.csv --out-dir DIR [--kind mfcc|lld] [--cache DIR] [--threads N]</c>: extracts one
/// feature kind for many clips in parallel through the content-addressed <see cref="FeatureCache"/>, writing
/// <c>DIR/&lt;clip id&gt;.csv</c> per clip, with a progress bar on stderr. The list is a CSV of <c>clip_id,path</c> lines
/// (a header line <c>clip_id,path</c> is optional; relative paths are resolved against the list's folder). Clips are any
/// format the library reads (WAV natively, others through ffmpeg) and must be 16 kHz (the extractor's rate); other rates
/// stop the batch with an error naming the clip. Flags and paths are checked before any clip is decoded.
/// </summary>
public static class FeaturesBatchCommand
{
    public static Command Create()
    {
        var list = new Option<string>("--list") { Description = "CSV of clip_id,path lines", Required = true };
        var outDir = new Option<string>("--out-dir") { Description = "folder for <clip id>.csv files", Required = true };
        var kind = new Option<string>("--kind") { Description = "mfcc | lld", DefaultValueFactory = _ => "lld" };
        var cache = new Option<string?>("--cache") { Description = "feature cache folder (default: no cache)" };
        var threads = new Option<int>("--threads") { Description = "clips processed in parallel (default: all cores)", DefaultValueFactory = _ => -1 };
        var cmd = new Command("batch", "Extract mfcc or lld features for a list of clips (parallel, cached, with progress)");
        cmd.Add(list); cmd.Add(outDir); cmd.Add(kind); cmd.Add(cache); cmd.Add(threads);
        cmd.SetAction(pr => CliErrors.Run(() =>
        {
            // Everything is checked before any audio is decoded.
            string listPath = pr.GetValue(list)!, dir = pr.GetValue(outDir)!, k = pr.GetValue(kind)!;
            int t = pr.GetValue(threads);
            var problems = new List<string>();
            if (k is not ("mfcc" or "lld")) problems.Add($"--kind = '{k}' must be one of mfcc, lld");
            if (t < 1 && pr.GetResult(threads) is { Implicit: false }) problems.Add($"--threads = {t} must be >= 1 (leave it out to use every core)");
            if (problems.Count > 0) throw new FeatureParameterException("hfb features batch", problems);
            OutputPathException.CheckFolder(dir, "--out-dir folder");
            if (pr.GetValue(cache) is { Length: > 0 } c0) OutputPathException.CheckFolder(c0, "--cache folder");
            CliPaths.RequireFile(listPath, "--list", "a CSV file of clip_id,path lines");
            var items = ReadList(listPath);
            var fc = pr.GetValue(cache) is { Length: > 0 } c ? new FeatureCache(c) : null;
            var extractor = k == "mfcc"
                ? BatchFeatureExtractor.ForMfcc(new MfccOptions(), fc, t)
                : BatchFeatureExtractor.ForLldSegments(new LldOptions(), fc, t);
            IReadOnlyList<BatchResult> results = [];
            CliErrors.StdErr.Progress().Start(ctx =>
            {
                var task = ctx.AddTask($"features {k}", maxValue: Math.Max(1, items.Count));
                var progress = new Progress(p => task.Value = p.Completed);
                results = extractor.Run(items, progress);
                task.Value = task.MaxValue;
            });
            Directory.CreateDirectory(dir);
            foreach (var r in results)
            {
                using var csv = new FeatureCsvWriter(Path.Combine(dir, r.ClipId + ".csv"), r.Features.FeatureNames, includeTime: true);
                csv.Append(r.Features);
                csv.Commit();
            }
            Console.Error.WriteLine($"{results.Count} clips, {results.Count(r => r.FromCache)} from cache → {dir}");
            return 0;
        }));
        return cmd;
    }

    private sealed class Progress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        private readonly object _gate = new();
        public void Report(BatchProgress value) { lock (_gate) report(value); }
    }

    internal static List<BatchItem> ReadList(string path)
    {
        if (Directory.Exists(path)) throw new DatasetException($"{path}: is a folder; the clip list is a CSV file of clip_id,path lines");
        if (!File.Exists(path)) throw new DatasetException($"{path}: clip list not found");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var items = new List<BatchItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(',', 2);
            if (parts.Length != 2) throw new DatasetException($"{path}:{lineNo}: expected 'clip_id,path', got '{line}'");
            var (id, p) = (parts[0].Trim(), parts[1].Trim());
            if (lineNo == 1 && id == "clip_id") continue;
            if (id.Length == 0 || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                throw new DatasetException($"{path}:{lineNo}: clip id '{id}' is empty or not usable as a file name");
            if (!ids.Add(id)) throw new DatasetException($"{path}:{lineNo}: duplicate clip id '{id}'");
            items.Add(new BatchItem(id, Path.IsPathRooted(p) ? p : Path.Combine(baseDir, p)));
        }
        return items;
    }
}
