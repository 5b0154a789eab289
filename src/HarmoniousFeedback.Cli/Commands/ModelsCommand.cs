using System.CommandLine;
using HarmoniousFeedback.Pipeline.Registry;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>
/// <c>hfb models [--markdown]</c>: every registered model kind with its hyperparameters, and every feature view — read
/// from the registries, so what it prints is what specs and <c>hfb baseline</c> accept. <c>--markdown</c> prints
/// docs/models.md (a test checks that the committed file is up to date).
/// </summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "print the registry as docs/models.md" };
        var cmd = new Command("models", "List the registered model types, their hyperparameters and the feature views") { markdown };
        cmd.SetAction(p => CliErrors.Run(() =>
        {
            Console.Write(p.GetValue(markdown) ? RegistryDocs.Markdown(ModelRegistry.Default, FeatureViewRegistry.Default) : RegistryDocs.Text(ModelRegistry.Default, FeatureViewRegistry.Default));
            return 0;
        }));
        return cmd;
    }
}
