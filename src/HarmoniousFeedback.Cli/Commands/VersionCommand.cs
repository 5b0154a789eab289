using System.CommandLine;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary><c>hfb version</c>: the toolkit version and runtime, for bug reports and run manifests.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var cmd = new Command("version", "Print the toolkit version, runtime and SIMD capabilities");
        cmd.SetAction(_ =>
        {
            var v = typeof(HarmoniousFeedbackException).Assembly.GetName().Version;
            Console.WriteLine($"HarmoniousFeedback {v} on .NET {Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}), " +
                              $"{Environment.ProcessorCount} cores, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "yes" : "no")}, " +
                              $"Vector256 {(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "yes" : "no")}");
            return 0;
        });
        return cmd;
    }
}
