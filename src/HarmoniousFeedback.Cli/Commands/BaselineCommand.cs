using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HarmoniousFeedback.Models.Classical;
using Spectre.Console;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb baseline &lt;svm|lda|logreg&gt; --train A.csv --test B.csv [options] [--json]</c>: a classical baseline on
/// numeric feature tables. Standardises features with statistics of the training table only, fits, predicts the test
/// table and reports accuracy, macro-F1 and fit seconds (model fitting only, not loading or scaling).
/// </summary>
public static class BaselineCommand
{
    public static readonly IReadOnlyList<string> Models = ["svm", "lda", "logreg"];

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "svm | lda | logreg" };
        var train = new Option<string>("--train") { Description = "training CSV (header row; label column + numeric features)", Required = true };
        var test = new Option<string>("--test") { Description = "test CSV with the same columns", Required = true };
        var labelColumn = new Option<string>("--label-column") { Description = "name of the label column", DefaultValueFactory = _ => "label" };
        var c = new Option<double?>("--c") { Description = "svm/logreg: regularisation C (default 1)" };
        var gamma = new Option<string>("--gamma") { Description = "svm: scale | auto | a positive number", DefaultValueFactory = _ => "scale" };
        var kernel = new Option<string>("--kernel") { Description = "svm: rbf | linear | poly | sigmoid", DefaultValueFactory = _ => "rbf" };
        var degree = new Option<int>("--degree") { Description = "svm: polynomial degree", DefaultValueFactory = _ => 3 };
        var coef0 = new Option<double>("--coef0") { Description = "svm: poly/sigmoid independent term", DefaultValueFactory = _ => 0.0 };
        var tol = new Option<double?>("--tol") { Description = "stopping tolerance (svm 1e-3, logreg 1e-4, lda svd rank 1e-4)" };
        var maxIter = new Option<int?>("--max-iter") { Description = "svm: SMO iterations per pair (-1 = libsvm's limit); logreg: L-BFGS iterations (default 100)" };
        var solver = new Option<string>("--solver") { Description = "lda: svd | lsqr | eigen", DefaultValueFactory = _ => "svd" };
        var shrinkage = new Option<string>("--shrinkage") { Description = "lda (lsqr/eigen): none | auto | a number in [0, 1]", DefaultValueFactory = _ => "none" };
        var json = new Option<bool>("--json") { Description = "print {\"accuracy\":…,\"macro_f1\":…,\"fit_seconds\":…} only" };

        var cmd = new Command("baseline", "Fit a classical baseline (SVM, linear discriminant, logistic regression) on CSV feature tables");
        cmd.Add(model);
        foreach (var o in new Option[] { train, test, labelColumn, c, gamma, kernel, degree, coef0, tol, maxIter, solver, shrinkage, json }) cmd.Add(o);

        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var name = parse.GetValue(model)!.Trim().ToLowerInvariant();
            var fit = Trainer(name, parse.GetValue(c), parse.GetValue(gamma)!, parse.GetValue(kernel)!, parse.GetValue(degree),
                              parse.GetValue(coef0), parse.GetValue(tol), parse.GetValue(maxIter), parse.GetValue(solver)!,
                              parse.GetValue(shrinkage)!);
            var label = parse.GetValue(labelColumn)!;
            var trainTable = FeatureTable.LoadCsv(parse.GetValue(train)!, label);
            var testTable = FeatureTable.LoadCsv(parse.GetValue(test)!, label, trainTable.ClassNames);
            if (!testTable.FeatureNames.SequenceEqual(trainTable.FeatureNames))
                throw new SchemaMismatchException(
                    $"baseline: {testTable.Source} has feature columns ({string.Join(", ", testTable.FeatureNames)}) but {trainTable.Source} has ({string.Join(", ", trainTable.FeatureNames)}); they must match in name and order");

            var scaler = StandardScaler.Fit(trainTable.Features);
            var xtr = scaler.Transform(trainTable.Features);
            var xte = scaler.Transform(testTable.Features);
            var sw = Stopwatch.StartNew();
            var fitted = fit(xtr, trainTable.Labels);
            double seconds = sw.Elapsed.TotalSeconds;
            var predicted = fitted.Predict(xte);
            double accuracy = ClassificationScores.Accuracy(testTable.Labels, predicted);
            double macroF1 = ClassificationScores.MacroF1(testTable.Labels, predicted);

            if (parse.GetValue(json))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"accuracy\":{accuracy:R},\"macro_f1\":{macroF1:R},\"fit_seconds\":{seconds:R}}}"));
            }
            else
            {
                Console.WriteLine(Describe(fitted));
                var table = new Table().AddColumns("accuracy", "macro-F1", "fit s", "train rows", "test rows", "classes");
                table.AddRow(accuracy.ToString("F4", CultureInfo.InvariantCulture), macroF1.ToString("F4", CultureInfo.InvariantCulture),
                    seconds.ToString("F3", CultureInfo.InvariantCulture), trainTable.Rows.ToString(CultureInfo.InvariantCulture),
                    testTable.Rows.ToString(CultureInfo.InvariantCulture), trainTable.ClassNames.Count.ToString(CultureInfo.InvariantCulture));
                AnsiConsole.Write(table);
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>Builds the trainer for <paramref name="name"/>, validating every option first (all problems at once).</summary>
    internal static Func<double[][], int[], IClassicalClassifier> Trainer(string name, double? c, string gamma, string kernel, int degree,
        double coef0, double? tol, int? maxIter, string solver, string shrinkage)
    {
        var problems = new List<string>();
        switch (name)
        {
            case "svm":
            {
                var k = SvmOptions.ParseKernel(kernel);
                if (k is null) problems.Add($"--kernel = \"{kernel}\" must be one of {string.Join(", ", SvmOptions.KernelNames)}");
                var g = SvmGamma.TryParse(gamma);
                if (g is null) problems.Add($"--gamma = \"{gamma}\" must be \"scale\", \"auto\" or a positive number");
                var options = new SvmOptions
                {
                    C = c ?? 1.0, Kernel = k ?? SvmKernel.Rbf, Gamma = g ?? SvmGamma.Scale, Degree = degree, Coef0 = coef0,
                    Tol = tol ?? 1e-3, MaxIter = maxIter ?? -1,
                };
                ValidateAll(options.Validate, problems, "baseline svm options");
                return (x, y) => SvmClassifier.Fit(x, y, options);
            }
            case "lda":
            {
                var s = LdaOptions.ParseSolver(solver);
                if (s is null) problems.Add($"--solver = \"{solver}\" must be one of {string.Join(", ", LdaOptions.SolverNames)}");
                LdaShrinkage? shrink = null;
                if (!shrinkage.Equals("none", StringComparison.OrdinalIgnoreCase))
                {
                    shrink = LdaShrinkage.TryParse(shrinkage);
                    if (shrink is null) problems.Add($"--shrinkage = \"{shrinkage}\" must be none, auto or a number in [0, 1]");
                }
                if (c is not null) problems.Add("--c does not apply to lda (options: --solver, --shrinkage, --tol)");
                var options = new LdaOptions { Solver = s ?? LdaSolver.Svd, Shrinkage = shrink, Tol = tol ?? 1e-4 };
                ValidateAll(options.Validate, problems, "baseline lda options");
                return (x, y) => LinearDiscriminantAnalysis.Fit(x, y, options);
            }
            case "logreg":
            {
                var options = new LogisticRegressionOptions { C = c ?? 1.0, Tol = tol ?? 1e-4, MaxIter = maxIter ?? 100 };
                options.Validate();
                return (x, y) => LogisticRegression.Fit(x, y, options);
            }
            default:
                throw new OptionsValidationException("baseline arguments", [$"model = \"{name}\" must be one of {string.Join(", ", Models)}"]);
        }
    }

    /// <summary>Runs an options record's Validate and throws once with its problems plus the CLI-level ones.</summary>
    private static void ValidateAll(Action validate, List<string> problems, string what)
    {
        try { validate(); }
        catch (OptionsValidationException e) { problems.AddRange(e.Problems); }
        if (problems.Count > 0) throw new OptionsValidationException(what, problems);
    }

    private static string Describe(IClassicalClassifier m) => m switch
    {
        SvmClassifier s => string.Create(CultureInfo.InvariantCulture,
            $"svm ({s.Options.Kernel.ToString().ToLowerInvariant()}, C={s.Options.C}, gamma={s.Gamma:G4}, {s.SupportVectorCount} SV{(s.Converged ? "" : ", not converged: MaxIter reached")})"),
        LinearDiscriminantAnalysis l => $"lda ({l.Options.Solver.ToString().ToLowerInvariant()}{(l.Options.Shrinkage is { } sh ? ", shrinkage " + sh : "")})",
        LogisticRegression r => string.Create(CultureInfo.InvariantCulture,
            $"logreg (C={r.Options.C}, {r.Iterations} iter{(r.Converged ? "" : ", not converged")})"),
        _ => m.GetType().Name,
    };
}
