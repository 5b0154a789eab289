using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;

namespace HarmoniousFeedback.Kernel.Protocol;

/// <summary>
/// The content of <c>kernel_info_reply</c> (messaging spec 5.3, "Kernel info"). <c>language_info</c> matches what C#
/// notebooks carry and what .NET Interactive reported (<c>CSharpLanguageInfo</c>: mimetype <c>text/x-csharp</c>,
/// file extension <c>.cs</c>, pygments lexer <c>csharp</c>), with the language name <c>csharp</c> as in the kernelspec;
/// <c>codemirror_mode</c> <c>csharp</c> is CodeMirror's alias for its C# mode (classic Notebook and JupyterLab resolve it).
/// </summary>
public static class KernelInfo
{
    /// <summary>The kernel's implementation name.</summary>
    public const string Implementation = "hfb-kernel";

    /// <summary>The C# language version cells compile with, e.g. <c>14.0</c>.</summary>
    public static string LanguageVersion { get; } = Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();

    /// <summary>This kernel's version (the assembly's informational version without build metadata).</summary>
    public static string ImplementationVersion { get; } =
        (typeof(KernelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public static JsonObject Content() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = Implementation,
        ["implementation_version"] = ImplementationVersion,
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = LanguageVersion,
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "csharp",
        },
        ["banner"] = $"HarmoniousFeedback C# kernel {ImplementationVersion} (C# {LanguageVersion}, .NET {Environment.Version}, Roslyn scripting)",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };
}
