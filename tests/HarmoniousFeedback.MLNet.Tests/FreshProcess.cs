using System.Diagnostics;
using HarmoniousFeedback.MLNet.Tests.Transforms;
using Microsoft.ML;

namespace HarmoniousFeedback.MLNet.Tests;

/// <summary>
/// Commands the tests run in a new process (<c>dotnet HarmoniousFeedback.MLNet.Tests.dll &lt;command&gt; …</c>), so
/// that a saved model is loaded by a process that never built it: no factory registered by hand, no type loaded
/// before <c>mlContext.Model.Load</c> asks for it.
/// </summary>
public static class FreshProcess
{
    public static int Run(string[] args)
    {
        if (args is ["predict", var model, var inputs, var output])
        {
            // Plain ML.NET, no toolkit helper: ML.NET finds the CustomMapping factories through the assembly name saved in the model.
            var ml = new MLContext(seed: 99);
            var loaded = ml.Model.Load(model, out _);
            File.WriteAllLines(output, HfPipelineTests.Predict(ml, loaded, File.ReadAllLines(inputs)));
            return 0;
        }
        Console.Error.WriteLine("usage: HarmoniousFeedback.MLNet.Tests.dll predict MODEL.zip PATHS.txt OUT.tsv");
        return 2;
    }

    /// <summary>Runs this test assembly as a program with <paramref name="args"/> and fails with its output unless it exits with 0.</summary>
    public static void Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(FreshProcess).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(entireProcessTree: true); throw new TimeoutException("the fresh process did not finish in 5 minutes"); }
        if (p.ExitCode != 0) throw new Xunit.Sdk.XunitException($"fresh process exited with {p.ExitCode}:\n{stdout.Result}\n{stderr}");
    }
}
