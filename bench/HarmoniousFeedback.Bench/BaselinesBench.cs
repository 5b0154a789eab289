using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Models.Classical;

namespace HarmoniousFeedback.Bench;

/// <summary>
/// <c>hfb-bench baselines [--json] [--data DIR] [--repeat N] [--datasets a,b] [--models prefix,…] [--threads N]</c>: the C# side of the classical-baseline
/// parity bench. Same CSV pairs, standardisation and models as <c>bench/baselines/sklearn_compare.py</c>; reports test
/// accuracy, macro-F1 and the best fit wall time and process CPU time over N runs (CPU time is the
/// fairer comparison on a loaded machine; with --threads 1 it measures the algorithm alone). Generate the data first with
/// <c>/usr/bin/python3 bench/baselines/make_data.py</c>.
/// </summary>
public sealed class BaselinesBench : IBenchSuite
{
    public string Name => "baselines";
    public string Description => "SVM / LDA / logistic regression vs scikit-learn on bench/baselines/data";

    public static readonly string[] Datasets = ["blobs4", "nonlinear3", "digits", "wine", "parity3"];

    /// <summary>Model name → trainer, mirroring MODELS in sklearn_compare.py.</summary>
    public static IReadOnlyList<(string Name, Func<double[][], int[], IClassicalClassifier> Fit)> Models(int threads) =>
    [
        ("svm_rbf_c1", (x, y) => SvmClassifier.Fit(x, y, new SvmOptions { C = 1, MaxDegreeOfParallelism = threads })),
        ("svm_rbf_c10", (x, y) => SvmClassifier.Fit(x, y, new SvmOptions { C = 10, MaxDegreeOfParallelism = threads })),
        ("svm_linear_c1", (x, y) => SvmClassifier.Fit(x, y, new SvmOptions { C = 1, Kernel = SvmKernel.Linear, MaxDegreeOfParallelism = threads })),
        ("lda_svd", (x, y) => LinearDiscriminantAnalysis.Fit(x, y)),
        ("lda_lsqr_auto", (x, y) => LinearDiscriminantAnalysis.Fit(x, y, new LdaOptions { Solver = LdaSolver.Lsqr, Shrinkage = LdaShrinkage.Auto })),
        ("logreg_c1", (x, y) => LogisticRegression.Fit(x, y, new LogisticRegressionOptions { C = 1, MaxIter = 1000, MaxDegreeOfParallelism = threads })),
    ];

    public int Run(string[] args)
    {
        bool json = args.Contains("--json");
        string dataDir = Arg(args, "--data") ?? Path.Combine(FindRepoRoot(), "bench", "baselines", "data");
        int repeat = int.Parse(Arg(args, "--repeat") ?? "3", CultureInfo.InvariantCulture);
        int threads = int.Parse(Arg(args, "--threads") ?? Math.Min(Environment.ProcessorCount, 2).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var onlyDatasets = Arg(args, "--datasets")?.Split(',');
        var onlyModels = Arg(args, "--models")?.Split(',');
        if (!File.Exists(Path.Combine(dataDir, "blobs4_train.csv")))
        {
            Console.Error.WriteLine($"error: no data in {dataDir}; run /usr/bin/python3 bench/baselines/make_data.py first");
            return 2;
        }
        var results = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>();
        foreach (var name in Datasets)
        {
            if (onlyDatasets is not null && !onlyDatasets.Contains(name)) continue;
            var train = FeatureTable.LoadCsv(Path.Combine(dataDir, name + "_train.csv"));
            var test = FeatureTable.LoadCsv(Path.Combine(dataDir, name + "_test.csv"), classNames: train.ClassNames);
            var scaler = StandardScaler.Fit(train.Features);
            var xtr = scaler.Transform(train.Features);
            var xte = scaler.Transform(test.Features);
            results[name] = new();
            foreach (var (model, fit) in Models(threads))
            {
                if (onlyModels is not null && !onlyModels.Any(p => model.StartsWith(p, StringComparison.Ordinal))) continue;
                double best = double.PositiveInfinity, bestCpu = double.PositiveInfinity;
                IClassicalClassifier? m = null;
                var process = Process.GetCurrentProcess();
                for (int r = 0; r < repeat; r++)
                {
                    process.Refresh();
                    var cpu0 = process.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    m = fit(xtr, train.Labels);
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                    process.Refresh();
                    bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu0).TotalSeconds);
                }
                var pred = m!.Predict(xte);
                var acc = ClassificationScores.Accuracy(test.Labels, pred);
                var f1 = ClassificationScores.MacroF1(test.Labels, pred);
                results[name][model] = new() { ["accuracy"] = acc, ["macro_f1"] = f1, ["fit_seconds"] = best, ["fit_cpu_seconds"] = bestCpu };
                if (!json)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-11} {model,-14} acc {acc:F4}  macro-F1 {f1:F4}  fit {best:F4}s  cpu {bestCpu:F4}s"));
            }
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(new { results }, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "HarmoniousFeedback.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
