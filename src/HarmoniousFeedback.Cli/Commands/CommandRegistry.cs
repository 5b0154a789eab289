using System.CommandLine;

namespace HarmoniousFeedback.Cli.Commands;

/// <summary>Every top-level command of <c>hfb</c>. Each stage's command lives in its own file in this folder.</summary>
public static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return FeaturesCommand.Create();
        yield return DataCommand.Create();
        yield return ReproduceCommand.Create();
        yield return BaselineCommand.Create();
        yield return RecommendCommand.Create();
        yield return KernelCommand.Create();
        yield return NotebookCommand.Create();
        yield return ModelCommand.Create();
        yield return FeedbackCommand.Create();
        yield return FeedbackTrainCommand.Create();
    }
}
