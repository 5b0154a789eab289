using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Pipeline;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Trainers;
using Spectre.Console;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb baseline &lt;model&gt; --train A.csv --test B.csv [--param name=value …] [--json]</c>: any registered model that
/// reads a feature vector (svm, lda, logreg, and those add-ons register) on numeric CSV feature tables. The model
/// standardises features with statistics of the training table only, fits, predicts the test table and reports
/// accuracy, macro-F1 and fit seconds (standardisation and fitting). Hyperparameters are the model's registry
/// parameters (<c>hfb model list</c>); the classical models' common ones also have their own flags (<c>--c</c>, <c>--kernel</c>, …).
/// </summary>
public static class BaselineCommand
{
    /// <summary>Flags kept as shorthands for registry parameters: flag → parameter name.</summary>
    private static readonly (string Flag, string Param, string Description)[] Shorthands =
    [
        ("--c", "c", "svm/logreg: regularisation C"),
        ("--gamma", "gamma", "svm: scale | auto | a positive number"),
        ("--kernel", "kernel", "svm: rbf | linear | poly | sigmoid"),
        ("--degree", "degree", "svm: polynomial degree"),
        ("--coef0", "coef0", "svm: poly/sigmoid independent term"),
        ("--tol", "tol", "stopping tolerance"),
        ("--max-iter", "maxIter", "svm: SMO iterations per pair; logreg: L-BFGS iterations"),
        ("--solver", "solver", "lda: svd | lsqr | eigen"),
        ("--shrinkage", "shrinkage", "lda (lsqr/eigen): none | auto | a number in [0, 1]"),
    ];

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "a registered model that reads a feature vector (hfb model list): " + string.Join(" | ", VectorModels()) };
        var train = new Option<string>("--train") { Description = "training CSV (header row; label column + numeric features)", Required = true };
        var test = new Option<string>("--test") { Description = "test CSV with the same columns", Required = true };
        var labelColumn = new Option<string>("--label-column") { Description = "name of the label column", DefaultValueFactory = _ => "label" };
        var param = new Option<string[]>("--param") { Description = "a model hyperparameter, name=value (repeatable; hfb model list lists them)", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "print {\"accuracy\":…,\"macro_f1\":…,\"fit_seconds\":…} only" };
        var shorthands = Shorthands.Select(s => new Option<string>(s.Flag) { Description = $"{s.Description} (= --param {s.Param}=…)" }).ToArray();

        var cmd = new Command("baseline", "Fit a registered model (SVM, linear discriminant, logistic regression, …) on CSV feature tables");
        cmd.Add(model);
        foreach (var o in new Option[] { train, test, labelColumn, param, json }.Concat(shorthands)) cmd.Add(o);

        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var name = parse.GetValue(model)!.Trim().ToLowerInvariant();
            var values = ParameterReader.ParsePairs(parse.GetValue(param) ?? [], "--param");
            for (int i = 0; i < Shorthands.Length; i++)
                if (parse.GetValue(shorthands[i]) is { } v)
                    values[Shorthands[i].Param] = Shorthands[i].Param == "shrinkage" && v.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
                        ? JsonDocument.Parse("null").RootElement.Clone()
                        : ParameterReader.ParsePairs([$"{Shorthands[i].Param}={v}"], Shorthands[i].Flag)[Shorthands[i].Param];
            var configured = ModelRegistry.Default.Get(name).Configure(values, "--param");

            var label = parse.GetValue(labelColumn)!;
            CliPaths.RequireFile(parse.GetValue(train)!, "--train", "a CSV feature table");
            CliPaths.RequireFile(parse.GetValue(test)!, "--test", "a CSV feature table");
            var trainTable = FeatureTable.LoadCsv(parse.GetValue(train)!, label);
            var testTable = FeatureTable.LoadCsv(parse.GetValue(test)!, label, trainTable.ClassNames);
            if (!testTable.FeatureNames.SequenceEqual(trainTable.FeatureNames))
                throw new SchemaMismatchException(
                    $"baseline: {testTable.Source} has feature columns ({string.Join(", ", testTable.FeatureNames)}) but {trainTable.Source} has ({string.Join(", ", trainTable.FeatureNames)}); they must match in name and order");

            var input = new ModelInput("csv", "Features", ColumnType.Vector(trainTable.FeatureNames.Count));
            var problems = new List<string>();
            configured.CheckInputs([input], problems);
            if (problems.Count > 0) throw new OptionsValidationException("baseline", problems);
            var trainer = configured.CreateTrainer(new TrainerSetup { Inputs = [input], GroupColumn = null });

            var trainData = ToDataTable(trainTable);
            var sw = Stopwatch.StartNew();
            var fitted = trainer.Fit(trainData);
            double seconds = sw.Elapsed.TotalSeconds;
            var predictedNames = fitted.Transform(ToDataTable(testTable)).Column<string>(MulticlassColumns.PredictedLabel).ToArray();
            var classIndex = trainTable.ClassNames.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i, StringComparer.Ordinal);
            var predicted = predictedNames.Select(p => classIndex[p]).ToArray();
            double accuracy = ClassificationScores.Accuracy(testTable.Labels, predicted);
            double macroF1 = ClassificationScores.MacroF1(testTable.Labels, predicted);

            if (parse.GetValue(json))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"accuracy\":{accuracy:R},\"macro_f1\":{macroF1:R},\"fit_seconds\":{seconds:R}}}"));
            }
            else
            {
                Console.WriteLine(Describe(name, fitted));
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

    /// <summary>The registered models that accept a feature vector.</summary>
    internal static IEnumerable<string> VectorModels()
    {
        var probe = new[] { new ModelInput("csv", "Features", ColumnType.Vector(2)) };
        foreach (var kind in ModelRegistry.Default.Kinds)
        {
            var problems = new List<string>();
            kind.Configure(null).CheckInputs(probe, problems);
            if (problems.Count == 0) yield return kind.Name;
        }
    }

    /// <summary>The CSV table as a pipeline table: <c>Features</c> (float32 vectors, the toolkit's feature type) and string <c>Label</c>s.</summary>
    private static DataTable ToDataTable(FeatureTable t)
    {
        var x = t.Features.Select(r => r.Select(v => (float)v).ToArray()).ToArray();
        var y = t.Labels.Select(l => t.ClassNames[l]).ToArray();
        return new DataTable([
            new DataColumn<float[]>(new SchemaColumn("Features", ColumnType.Vector(t.FeatureNames.Count)) { SlotNames = t.FeatureNames }, x),
            new DataColumn<string>("Label", ColumnType.String, y)]);
    }

    private static string Describe(string name, ITransformer fitted)
    {
        var last = fitted is TransformerChain<ITransformer> chain ? chain.LastTransformer : fitted;
        var model = (last as MulticlassPredictionTransformer)?.Model is ClassicalMulticlassModel c ? c.Model : null;
        return model switch
        {
            SvmClassifier s => string.Create(CultureInfo.InvariantCulture,
                $"svm ({s.Options.Kernel.ToString().ToLowerInvariant()}, C={s.Options.C}, gamma={s.Gamma:G4}, {s.SupportVectorCount} SV{(s.Converged ? "" : ", not converged: MaxIter reached")})"),
            LinearDiscriminantAnalysis l => $"lda ({l.Options.Solver.ToString().ToLowerInvariant()}{(l.Options.Shrinkage is { } sh ? ", shrinkage " + sh : "")})",
            LogisticRegression r => string.Create(CultureInfo.InvariantCulture,
                $"logreg (C={r.Options.C}, {r.Iterations} iter{(r.Converged ? "" : ", not converged")})"),
            _ => name,
        };
    }
}
