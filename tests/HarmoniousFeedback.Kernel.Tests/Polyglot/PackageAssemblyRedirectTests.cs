using System.Reflection;
using HarmoniousFeedback.Kernel.Polyglot;
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
}
