using HarmoniousFeedback.Experiments;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Views;
using Xunit;

namespace HarmoniousFeedback.Cli.Tests;

/// <summary>Files the repository ships that depend on what <c>hfb</c> registers (the built-in models plus the add-ons).</summary>
public class ShippedFilesTests
{
    public ShippedFilesTests() => Program.RegisterAddOns();

    private static string Repo(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HarmoniousFeedback.sln"))) dir = dir.Parent;
        return Path.Combine([dir!.FullName, .. parts]);
    }

    public static TheoryData<string> Experiments() => new(Directory.GetFiles(Repo("experiments"), "*.json").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(Experiments))]
    public void Shipped_experiments_parse_and_validate_against_the_registry(string name)
    {
        var spec = ExperimentSpec.Load(Repo("experiments", name + ".json"));
        Assert.Equal(name, spec.Name);
        Assert.NotEmpty(spec.Models);
        Assert.Empty(spec.Validate());
        Assert.NotNull(ExperimentPlan.Create(spec));
    }

    [Fact]
    public void Docs_models_md_is_generated_from_the_registries_and_up_to_date()
    {
        // What hfb registers (the built-ins plus Program.RegisterAddOns), built fresh: other tests in this assembly add a
        // toy model to ModelRegistry.Default (the one-file recipe), which the shipped docs must not list.
        var expected = RegistryDocs.Markdown(MLNet.MLNetModels.Register(ModelRegistry.CreateBuiltIn()), FeatureViewRegistry.CreateBuiltIn());
        var path = Repo("docs", "models.md");
        Assert.True(File.Exists(path) && File.ReadAllText(path) == expected,
            "docs/models.md is out of date: regenerate it with `dotnet run --project src/HarmoniousFeedback.Cli -- model list --markdown > docs/models.md`");
    }
}
