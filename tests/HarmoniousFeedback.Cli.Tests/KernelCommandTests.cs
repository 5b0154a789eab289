using System.Text.Json.Nodes;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

public class KernelCommandTests
{
    [Fact]
    public void Install_with_polyglot_name_registers_both_kernelspecs_and_uninstall_removes_both()
    {
        var prefix = Hfb.TempDir();
        var r = Hfb.Run("kernel", "install", "--prefix", prefix, "--polyglot-name");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var kernels = Path.Combine(prefix, "share", "jupyter", "kernels");
        var hfb = JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, "hfb-csharp", "kernel.json")))!;
        var alias = JsonNode.Parse(File.ReadAllText(Path.Combine(kernels, ".net-csharp", "kernel.json")))!;
        Assert.Equal(hfb["argv"]!.ToJsonString(), alias["argv"]!.ToJsonString()); // the same kernel under the name Polyglot notebooks carry
        Assert.Equal(".NET (C#) — hfb-kernel", alias["display_name"]!.GetValue<string>());
        Assert.Contains("installed kernelspec .net-csharp", r.StdOut);

        var removed = Hfb.Run("kernel", "uninstall", "--prefix", prefix);
        Assert.Equal(0, removed.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(kernels, ".net-csharp")));
        Assert.False(Directory.Exists(Path.Combine(kernels, "hfb-csharp")));
    }

    [Fact]
    public void Install_with_polyglot_name_refuses_to_replace_net_interactives_kernelspec_without_force()
    {
        var prefix = Hfb.TempDir();
        var foreign = Path.Combine(prefix, "share", "jupyter", "kernels", ".net-csharp");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "kernel.json"), "{\"argv\": [\"dotnet\", \"interactive\", \"jupyter\", \"--default-kernel\", \"csharp\", \"{connection_file}\"], \"display_name\": \".NET (C#)\", \"language\": \"C#\"}");
        var refused = Hfb.Run("kernel", "install", "--prefix", prefix, "--polyglot-name");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("belongs to another kernel", refused.StdErr);
        Assert.Contains("--force", refused.StdErr);
        Assert.Contains("interactive", File.ReadAllText(Path.Combine(foreign, "kernel.json")));

        Assert.Equal(0, Hfb.Run("kernel", "install", "--prefix", prefix, "--polyglot-name", "--force").ExitCode);
        Assert.Contains("hfb-kernel.dll", File.ReadAllText(Path.Combine(foreign, "kernel.json")));
    }
}
