using System.IO.Compression;
using System.Security.Cryptography;
using HarmoniousFeedback.Kernel.Polyglot;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Polyglot;

/// <summary>
/// <c>#r "nuget: …"</c> against a local folder source (no network): a package made by the test (a Roslyn-compiled
/// assembly in a .nupkg), restored by the real <c>dotnet restore</c>.
/// </summary>
public sealed class NuGetResolverTests
{
    private const string PackageId = "HarmoniousFeedback.KernelTests.LocalPackage";

    /// <summary>Writes <c>&lt;folder&gt;/&lt;id&gt;.1.0.0.nupkg</c> holding an assembly whose <c>Marker.Value</c> is <paramref name="marker"/>; returns the assembly bytes.</summary>
    private static byte[] Pack(string folder, string marker)
    {
        var tree = CSharpSyntaxTree.ParseText($"namespace LocalPackage {{ public static class Marker {{ public static string Value => \"{marker}\"; }} }}");
        var compilation = CSharpCompilation.Create(PackageId, [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var dll = new MemoryStream();
        Assert.True(compilation.Emit(dll).Success);
        var path = Path.Combine(folder, PackageId + ".1.0.0.nupkg");
        File.Delete(path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var w = new StreamWriter(zip.CreateEntry(PackageId + ".nuspec").Open()))
            {
                w.Write($"<?xml version=\"1.0\"?><package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\"><metadata><id>{PackageId}</id><version>1.0.0</version><authors>test</authors><description>test package</description></metadata></package>");
            }
            using var entry = zip.CreateEntry($"lib/net10.0/{PackageId}.dll").Open();
            entry.Write(dll.ToArray());
        }
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // a re-pack within the same second still changes the listing
        return dll.ToArray();
    }

    [Fact]
    public void Add_restores_from_a_local_folder_reuses_the_cache_and_picks_up_a_repacked_package()
    {
        var root = TestDirs.Create("hfb-nuget-test");
        var feed = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
        var cache = Path.Combine(root, "cache");
        try
        {
            var v1 = Pack(feed, "one");
            var first = new NuGetResolver(root, cache);
            first.AddSource("feed"); // relative to the notebook's folder, as #i "nuget: feed" would give it
            var log = new StringWriter();
            var (assemblies, installed) = first.Add([new PackageRequest(PackageId, "1.0.0")], log, CancellationToken.None);
            Assert.Contains("Restoring NuGet packages", log.ToString());
            Assert.Equal([$"{PackageId} 1.0.0"], installed);
            var dll = Assert.Single(assemblies);
            Assert.Equal(SHA256.HashData(v1), SHA256.HashData(File.ReadAllBytes(dll)));

            // A new session with the same request restores nothing.
            var again = new NuGetResolver(root, cache);
            again.AddSource("feed");
            var quiet = new StringWriter();
            Assert.Equal(dll, Assert.Single(again.Add([new PackageRequest(PackageId, "1.0.0")], quiet, CancellationToken.None).NewAssemblies));
            Assert.DoesNotContain("Restoring", quiet.ToString());

            // Re-packed under the same version: the stale extracted copy is replaced.
            Thread.Sleep(20);
            var v2 = Pack(feed, "two");
            var third = new NuGetResolver(root, cache);
            third.AddSource("feed");
            var repacked = Assert.Single(third.Add([new PackageRequest(PackageId, "1.0.0")], new StringWriter(), CancellationToken.None).NewAssemblies);
            Assert.Equal(SHA256.HashData(v2), SHA256.HashData(File.ReadAllBytes(repacked)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Add_fails_with_nugets_own_error_for_a_package_that_does_not_exist()
    {
        var root = TestDirs.Create("hfb-nuget-test");
        try
        {
            // Only the empty local folder as source (the nuget.config below clears the machine's sources): no network.
            WriteLocalFeedConfig(root);
            Directory.CreateDirectory(Path.Combine(root, "feed"));
            var resolver = new NuGetResolver(root, Path.Combine(root, "cache"));
            var e = Assert.Throws<NuGetRestoreException>(() => resolver.Add([new PackageRequest("No.Such.Package.Hfb", "1.0.0")], new StringWriter(), CancellationToken.None));
            Assert.Contains("dotnet restore failed", e.Message);
            Assert.Contains("NU1101", e.Message); // NuGet: unable to find package
            Assert.Contains("dotnet pack <project> -c Release -o", e.Message); // how a locally built package gets found
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
    [Fact]
    public void Add_keeps_the_session_usable_after_a_package_that_cannot_be_restored()
    {
        var root = TestDirs.Create("hfb-nuget-test");
        try
        {
            // The local feed is the only source (no network); the first request names a package that is not in it.
            WriteLocalFeedConfig(root);
            var feed = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
            Pack(feed, "one");
            var resolver = new NuGetResolver(root, Path.Combine(root, "cache"));
            var e = Assert.Throws<NuGetRestoreException>(() => resolver.Add([new PackageRequest("No.Such.Package.Hfb", "1.0.0")], new StringWriter(), CancellationToken.None));
            Assert.StartsWith("dotnet restore failed (exit code 1): error NU1101: Unable to find package No.Such.Package.Hfb.", e.Message);
            Assert.EndsWith("the session's packages are unchanged (this package was not added)", e.Message);

            // The failed package is not restored again with the next request.
            var log = new StringWriter();
            var (assemblies, installed) = resolver.Add([new PackageRequest(PackageId, "1.0.0")], log, CancellationToken.None);
            Assert.Equal([$"{PackageId} 1.0.0"], installed);
            Assert.Single(assemblies);
            Assert.DoesNotContain("No.Such.Package.Hfb", log.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Add_drops_an_unreachable_source_so_that_later_restores_work()
    {
        var root = TestDirs.Create("hfb-nuget-test");
        try
        {
            WriteLocalFeedConfig(root);
            var feed = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
            Pack(feed, "one");
            var resolver = new NuGetResolver(root, Path.Combine(root, "cache"));
            // The discard port: connection refused at once (NU1301); a plain-HTTP source is refused by NuGet (NU1302).
            foreach (var (source, code) in new[] { ("https://127.0.0.1:9/v3/index.json", "NU1301"), ("http://127.0.0.1:9/v3/index.json", "NU1302") })
            {
                resolver.AddSource(source);
                // A package in no source, so that NuGet asks every source (one in the global packages folder needs none).
                var e = Assert.Throws<NuGetRestoreException>(() => resolver.Add([new PackageRequest("No.Such.Package.Hfb", "1.0.0")], new StringWriter(), CancellationToken.None));
                Assert.True(e.Message.Contains(code, StringComparison.Ordinal), e.Message);
                Assert.Contains($"the source '{source}' could not be loaded and was removed from this session", e.Message);
                Assert.DoesNotContain(source, resolver.Sources);
            }

            Assert.Equal([$"{PackageId} 1.0.0"], resolver.Add([new PackageRequest(PackageId, "1.0.0")], new StringWriter(), CancellationToken.None).Installed);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A nuget.config in <paramref name="root"/> whose only package source is the folder <c>feed</c> beside it (the machine's sources cleared: no network).</summary>
    private static void WriteLocalFeedConfig(string root) =>
        File.WriteAllText(Path.Combine(root, "nuget.config"), "<configuration><packageSources><clear /><add key=\"local\" value=\"feed\" /></packageSources></configuration>");
}
