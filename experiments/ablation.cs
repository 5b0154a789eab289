#!/usr/bin/env dotnet
#:project ../src/HarmoniousFeedback/HarmoniousFeedback.csproj
// The piano-emotion ablation as a C# script — a .NET 10 file-based app, no project file needed:
//
//   dotnet run experiments/ablation.cs                                     the default spec (embedded synthetic corpus)
//   dotnet run experiments/ablation.cs -- experiments/paper-table1-emopia.json "LSTM+AM" SVM
//                                                                          another spec, only the models named
//
// Run it from the repository root (data/ and results/ are created there, as with `hfb reproduce`). The script is the
// library's ExperimentRunner with a progress printer: edit the spec in code (models, folds, features) and rerun —
// finished units are reused from the run folder, exactly as the CLI does.
using HarmoniousFeedback.Experiments;

string specPath = args.Length > 0 ? args[0] : Path.Combine("experiments", "paper-table1-synthetic.json");
var spec = ExperimentSpec.Load(specPath);
if (args.Length > 1)
{
    var wanted = args.Skip(1).ToHashSet(StringComparer.Ordinal);
    var unknown = wanted.Where(w => spec.Models.All(m => m.Name != w)).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"error: {string.Join(", ", unknown)} not in {specPath} (models: {string.Join(", ", spec.Models.Select(m => m.Name))})");
        return 2;
    }
    spec = spec with { Models = spec.Models.Where(m => wanted.Contains(m.Name)).ToList() };
}

var result = new ExperimentRunner(spec, new RunnerOptions(), new ConsoleProgress()).Run();
foreach (var (scheme, table) in result.Table1)
{
    Console.WriteLine($"\n{scheme}\n");
    Console.WriteLine(table.ToMarkdown());
}
Console.WriteLine($"{result.RunFolder}: {result.UnitsComputed} units trained, {result.UnitsReused} reused");
return 0;

/// <summary>Progress as plain lines: stages, finished preparation tasks and every trained unit's accuracy.</summary>
sealed class ConsoleProgress : IExperimentObserver
{
    public void Stage(string message) => Console.WriteLine(message);

    public void Progress(string task, int done, int total)
    {
        if (done == total) Console.WriteLine($"{task}: {done}/{total}");
    }

    public void UnitFinished(string scheme, string model, int repeat, int fold, int done, int total, bool reused, double accuracy)
        => Console.WriteLine($"[{done}/{total}] {scheme} {model} repeat {repeat} fold {fold}: {accuracy:P1}{(reused ? " (reused)" : "")}");
}
