using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using HarmoniousFeedback.Kernel.Polyglot;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Polyglot;

/// <summary>
/// Which restored assembly may answer a load request (<see cref="PackageAssemblyRedirect"/>). The identities are the
/// case that motivated it: Microsoft.ML.OnnxTransformer 6.0.0 references Microsoft.ML.OnnxRuntime 1.23.2.0, NuGet
/// restores 1.32.0 (public key token f27f157f0a5b7bb6, as in the package).
/// </summary>
public sealed class PackageAssemblyRedirectTests
{
    private static AssemblyName Name(string name, string version) => new($"{name}, Version={version}, Culture=neutral, PublicKeyToken=f27f157f0a5b7bb6");

    [Fact]
    public void A_higher_or_equal_version_with_the_same_name_and_token_satisfies_a_request()
    {
        var requested = Name("Microsoft.ML.OnnxRuntime", "1.23.2.0");
        Assert.True(PackageAssemblyRedirect.Satisfies(Name("Microsoft.ML.OnnxRuntime", "1.32.0.0"), requested));
        Assert.True(PackageAssemblyRedirect.Satisfies(Name("Microsoft.ML.OnnxRuntime", "1.23.2.0"), requested));
        Assert.True(PackageAssemblyRedirect.Satisfies(Name("microsoft.ml.onnxruntime", "1.32.0.0"), requested)); // simple names compare case-insensitively, as the binder does
    }

    [Fact]
    public void A_lower_version_another_token_or_another_name_does_not_satisfy_a_request()
    {
        var requested = Name("Microsoft.ML.OnnxRuntime", "1.32.0.0");
        Assert.False(PackageAssemblyRedirect.Satisfies(Name("Microsoft.ML.OnnxRuntime", "1.23.2.0"), requested));
        Assert.False(PackageAssemblyRedirect.Satisfies(new AssemblyName("Microsoft.ML.OnnxRuntime, Version=2.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"), requested));
        Assert.False(PackageAssemblyRedirect.Satisfies(new AssemblyName("Microsoft.ML.OnnxRuntime, Version=2.0.0.0"), requested)); // no strong name
        Assert.False(PackageAssemblyRedirect.Satisfies(Name("Microsoft.ML.OnnxTransformer", "2.0.0.0"), requested));
    }

    [Fact]
    public void Assemblies_without_a_strong_name_match_by_name_and_version_and_a_request_without_a_version_takes_any()
    {
        Assert.True(PackageAssemblyRedirect.Satisfies(new AssemblyName("Lib, Version=2.0.0.0"), new AssemblyName("Lib, Version=1.0.0.0")));
        Assert.False(PackageAssemblyRedirect.Satisfies(new AssemblyName("Lib, Version=1.0.0.0"), new AssemblyName("Lib, Version=2.0.0.0")));
        Assert.True(PackageAssemblyRedirect.Satisfies(new AssemblyName("Lib, Version=1.0.0.0"), new AssemblyName("Lib")));
    }

    // ---- end to end: restored packages, the default load context, a strong-named dependency one version up ----

    private const string Dep = "HarmoniousFeedback.KernelTests.RedirectDep", User = "HarmoniousFeedback.KernelTests.RedirectUser";

    /// <summary>A strong-named (public-signed with System.Text.Json's public key; .NET does not verify signatures) library at <paramref name="version"/>.</summary>
    private static byte[] Compile(string name, string version, string code, params MetadataReference[] references)
    {
        var key = typeof(System.Text.Json.JsonSerializer).Assembly.GetName().GetPublicKey()!;
        var tree = CSharpSyntaxTree.ParseText($"[assembly: System.Reflection.AssemblyVersion(\"{version}\")]\n{code}");
        var compilation = CSharpCompilation.Create(name, [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location), .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary).WithCryptoPublicKey([.. key]).WithPublicSign(true));
        using var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        Assert.True(emitted.Success, string.Join("; ", emitted.Diagnostics));
        return dll.ToArray();
    }

    private static void Pack(string folder, string id, string version, byte[] dll, string? dependency = null)
    {
        using var zip = ZipFile.Open(Path.Combine(folder, $"{id}.{version}.nupkg"), ZipArchiveMode.Create);
        using (var w = new StreamWriter(zip.CreateEntry(id + ".nuspec").Open()))
        {
            string deps = dependency is null ? "" : $"<dependencies><group targetFramework=\"net10.0\">{dependency}</group></dependencies>";
            w.Write($"<?xml version=\"1.0\"?><package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\"><metadata><id>{id}</id><version>{version}</version><authors>test</authors><description>test package</description>{deps}</metadata></package>");
        }
        using var entry = zip.CreateEntry($"lib/net10.0/{id}.dll").Open();
        entry.Write(dll);
    }

    [Fact]
    public void A_restored_package_built_against_an_older_strong_named_dependency_runs_with_the_restored_newer_one()
    {
        var root = TestDirs.Create("hfb-redirect-test");
        try
        {
            // User 1.0.0 was built against Dep 1.0.0.0 and asks for Dep >= 1.0.0; the feed has only Dep 2.0.0 (as
            // Microsoft.ML.OnnxTransformer 6.0.0 asks for OnnxRuntime 1.23.2 and the registry serves 1.32.0: NU1603).
            var feed = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
            File.WriteAllText(Path.Combine(root, "nuget.config"), "<configuration><packageSources><clear /><add key=\"local\" value=\"feed\" /></packageSources></configuration>");
            var depV1 = Compile(Dep, "1.0.0.0", "namespace Redirect { public static class Dep { public static string Version => \"1\"; } }");
            var depV2 = Compile(Dep, "2.0.0.0", "namespace Redirect { public static class Dep { public static string Version => \"2\"; } }");
            var user = Compile(User, "1.0.0.0", "namespace Redirect { public static class User { public static string Call() => Dep.Version; } }", MetadataReference.CreateFromImage(depV1));
            Pack(feed, Dep, "2.0.0", depV2);
            Pack(feed, User, "1.0.0", user, $"<dependency id=\"{Dep}\" version=\"1.0.0\" />");

            var (assemblies, _) = new NuGetResolver(root, Path.Combine(root, "cache")).Add([new PackageRequest(User, "1.0.0")], new StringWriter(), CancellationToken.None);
            Assert.Equal(2, assemblies.Count);

            // The test host's default load context knows neither assembly: loading User and calling into Dep asks for
            // Dep 1.0.0.0, which only the redirect answers (with the restored 2.0.0.0).
            var userAssembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblies.Single(a => Path.GetFileNameWithoutExtension(a) == User));
            var call = userAssembly.GetType("Redirect.User")!.GetMethod("Call")!;
            Assert.Equal("2", call.Invoke(null, null));
            Assert.Equal(new Version(2, 0, 0, 0), AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == Dep).GetName().Version);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
