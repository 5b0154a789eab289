using System.Text.RegularExpressions;

namespace HarmoniousFeedback.Kernel.Polyglot;

/// <summary>A package a cell asks for with <c>#r "nuget: Name[, Version]"</c>; a null version means the latest stable one.</summary>
public sealed record PackageRequest(string Name, string? Version);

/// <summary>
/// The NuGet directives of .NET Interactive in a C# cell: <c>#r "nuget: Name, Version"</c>, <c>#r "nuget: Name"</c>
/// and <c>#i "nuget: &lt;source&gt;"</c> (an extra package source: a feed URL or a local folder, relative paths from
/// the notebook's folder). <see cref="Extract"/> blanks those lines (keeping the cell's line numbers) and returns what
/// they asked for; every other <c>#r</c> (a path, a framework assembly) is left to Roslyn.
/// </summary>
public static partial class NuGetDirectives
{
    [GeneratedRegex(@"^\s*#r\s+""nuget:\s*(?<name>[^,""\s]+)\s*(?:,\s*(?<version>[^""]*?)\s*)?""\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageLine();

    [GeneratedRegex(@"^\s*#i\s+""nuget:\s*(?<source>[^""]+?)\s*""\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceLine();

    /// <summary>The code with NuGet directive lines blanked, the packages and the sources they named (in order).</summary>
    public static (string Code, IReadOnlyList<PackageRequest> Packages, IReadOnlyList<string> Sources) Extract(string code)
    {
        if (!code.Contains("nuget:", StringComparison.OrdinalIgnoreCase)) return (code, [], []);
        var lines = code.Split('\n');
        var packages = new List<PackageRequest>();
        var sources = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (PackageLine().Match(line) is { Success: true } p)
            {
                var version = p.Groups["version"].Success && p.Groups["version"].Value.Length > 0 ? p.Groups["version"].Value : null;
                packages.Add(new PackageRequest(p.Groups["name"].Value, version));
                lines[i] = "";
            }
            else if (SourceLine().Match(line) is { Success: true } s)
            {
                sources.Add(s.Groups["source"].Value);
                lines[i] = "";
            }
        }
        return (string.Join('\n', lines), packages, sources);
    }
}
