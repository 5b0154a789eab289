using System.Diagnostics;
using System.Globalization;
using HarmoniousFeedback.Data;
using HarmoniousFeedback.Evaluation;
using HarmoniousFeedback.Features;
using HarmoniousFeedback.Features.Text;
using HarmoniousFeedback.Models.Classical;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench symbolic [--emopia DIR] [--threads N] [--repeats R] [--seed S] [--c C] [--columns prefix,…] [--csv FILE] [--cache DIR] [--invariant]</c>: extracts the score and
/// performance features of every EMOPIA MIDI (timed), then song-grouped stratified 2-fold CV × R of an RBF SVM on the
/// standardised clip-level features (scaler fitted on the training half) — the evidence that the features carry signal.
/// <c>--invariant</c> leaves out the transposition-dependent score columns; <c>--columns</c> keeps columns by name prefix
/// (<c>score.key_,performance.</c>).
/// </summary>
public sealed class SymbolicBench : IBenchSuite
{
    public string Name => "symbolic";
    public string Description => "EMOPIA score+performance features: extraction time and song-grouped 2-fold x5 SVM accuracy";

    public int Run(string[] args)
    {
        string shared = Environment.GetEnvironmentVariable("HFB_SHARED") is { Length: > 0 } env ? env : Path.Combine(FindRepoRoot(), "..", "shared");
        string root = Arg(args, "--emopia") ?? Path.GetFullPath(Path.Combine(shared, "datasets", "emopia"));
        int threads = int.Parse(Arg(args, "--threads") ?? "2", CultureInfo.InvariantCulture);
        int repeats = int.Parse(Arg(args, "--repeats") ?? "5", CultureInfo.InvariantCulture);
        int seed = int.Parse(Arg(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
        double c = double.Parse(Arg(args, "--c") ?? "1", CultureInfo.InvariantCulture);
        var prefixes = Arg(args, "--columns")?.Split(',');
        var ds = EmopiaDataset.Load(root);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var views = DatasetViews.Extract(ds, new MultiViewOptions { MaxDegreeOfParallelism = threads, CacheDirectory = Arg(args, "--cache") });
        double secs = sw.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var feats = views.Select(v => v.Symbolic!).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"extracted {ds.Clips.Count} clips (score, performance, text tokens) in {secs:F2} s wall, {cpu:F2} s CPU ({threads} threads; load: see uptime)"));
        var songTexts = ds.Clips.GroupBy(cl => cl.GroupId).Select(g => g.First().Text).Where(t => t is not null).Select(t => t!).ToArray();
        foreach (var level in new[] { EmotionMasking.Core, EmotionMasking.Extended })
        {
            var counts = songTexts.Select(t => EmotionLexicon.Find(t, level).Count).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"text: {counts.Count(n => n > 0)} of {songTexts.Length} song texts name a {level} emotion word ({counts.Sum()} words; titles+tags only: {songTexts.Count(t => EmotionLexicon.Find(string.Join('\n', t.Split('\n').Take(2)), level).Count > 0)})"));
        }
        var kinds = feats.GroupBy(f => f.Grid.Kind).Select(g => $"{g.Key}: {g.Count()}");
        Console.WriteLine("grid: " + string.Join(", ", kinds) + string.Create(CultureInfo.InvariantCulture,
            $"; clip tempo median {Median(feats.Select(f => f.Grid.TempoBpm)):F1} bpm; fit median {Median(feats.Select(f => f.Grid.Fit)):F2}"));

        var (all, names) = DatasetViews.ClipLevelTable(views, args.Contains("--invariant"), ViewKind.Score, ViewKind.Performance);
        var keep = Enumerable.Range(0, names.Length).Where(j => prefixes is null || prefixes.Any(p => names[j].StartsWith(p, StringComparison.Ordinal))).ToArray();
        var x = all.Select(r => keep.Select(j => r[j]).ToArray()).ToArray();
        if (Arg(args, "--csv") is { } csv)
        {
            using var w = new StreamWriter(csv);
            w.WriteLine("clip,label,group,grid_kind,grid_tempo,grid_fit," + string.Join(',', keep.Select(j => names[j])));
            for (int i = 0; i < x.Length; i++)
                w.WriteLine(string.Join(',', [ds.Clips[i].Id, ds.Clips[i].Label, ds.Clips[i].GroupId, feats[i].Grid.Kind.ToString(),
                    feats[i].Grid.TempoBpm.ToString("R", CultureInfo.InvariantCulture), feats[i].Grid.Fit.ToString("R", CultureInfo.InvariantCulture),
                    .. x[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture))]));
        }
        var labels = ds.Clips.Select(cl => cl.Label).ToArray();
        var groups = ds.Clips.Select(cl => cl.GroupId).ToArray();
        var y = ds.Clips.Select(ds.LabelIndex).ToArray();
        var splits = RepeatedCrossValidator.StratifiedGroupKFold(2, repeats, seed).Split(x.Length, labels, groups);
        var accs = new List<double>();
        foreach (var s in splits)
        {
            var (scaler, xtr) = StandardScaler.FitTransform(s.Train.Select(i => x[i]).ToArray());
            var m = SvmClassifier.Fit(xtr, s.Train.Select(i => y[i]).ToArray(), new SvmOptions { C = c, MaxDegreeOfParallelism = threads });
            var pred = m.Predict(scaler.Transform(s.Test.Select(i => x[i]).ToArray()));
            accs.Add(ClassificationScores.Accuracy(s.Test.Select(i => y[i]).ToArray(), pred));
        }
        double mean = accs.Average(), sd = Math.Sqrt(accs.Sum(a => (a - mean) * (a - mean)) / (accs.Count - 1));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SVM rbf C={c} on {keep.Length} clip-level columns, {repeats} x song-grouped stratified 2-fold (seed {seed}): accuracy {mean:F4} ± {sd:F4} (fold std, n={accs.Count})"));
        return 0;
    }

    private static double Median(IEnumerable<double> v)
    {
        var a = v.Order().ToArray();
        return a.Length == 0 ? 0 : a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "HarmoniousFeedback.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
