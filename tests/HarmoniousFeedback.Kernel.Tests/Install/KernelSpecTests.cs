using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Install;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Install;

public sealed class KernelSpecTests
{
    [Fact]
    public void Install_writes_kernel_json_under_the_prefix_then_finds_and_uninstalls_it()
    {
        var prefix = TestDirs.Create();
        try
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "hfb-kernel.dll");
            var kernels = KernelSpec.PrefixKernelsDirectory(prefix);
            Assert.Equal(Path.Combine(prefix, "share", "jupyter", "kernels"), kernels);
            var dir = KernelSpec.Install(kernels, dll);
            Assert.Equal(Path.Combine(kernels, "hfb-csharp"), dir);
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "kernel.json")))!;
            Assert.Equal(["dotnet", dll, "{connection_file}"], json["argv"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal("C# (HarmoniousFeedback)", json["display_name"]!.GetValue<string>());
            Assert.Equal("csharp", json["language"]!.GetValue<string>());
            Assert.Equal("message", json["interrupt_mode"]!.GetValue<string>());
            Assert.Equal((dir, dll), Assert.Single(KernelSpec.Find([kernels])));
            Assert.True(KernelSpec.Uninstall(kernels));
            Assert.False(Directory.Exists(dir));
            Assert.False(KernelSpec.Uninstall(kernels));
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Fact]
    public void Install_missing_kernel_assembly_says_what_to_build()
    {
        var e = Assert.Throws<KernelException>(() => KernelSpec.Install(Path.GetTempPath(), "/nonexistent/hfb-kernel.dll"));
        Assert.Contains("kernel assembly '/nonexistent/hfb-kernel.dll' not found", e.Message);
    }

    [Fact]
    public void UserDirectory_honours_JUPYTER_DATA_DIR()
    {
        var old = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        try
        {
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", "/tmp/jdata");
            Assert.Equal("/tmp/jdata/kernels", KernelSpec.UserKernelsDirectory());
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", null);
            if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("XDG_DATA_HOME") is null)
                Assert.EndsWith("/.local/share/jupyter/kernels", KernelSpec.UserKernelsDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", old);
        }
    }
}
