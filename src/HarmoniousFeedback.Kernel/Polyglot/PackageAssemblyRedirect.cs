using System.Reflection;
using System.Runtime.Loader;

namespace HarmoniousFeedback.Kernel.Polyglot;

/// <summary>
/// Lets a package assembly built against an older version of a strong-named dependency run with the newer version
/// NuGet restored — what a built application gets from .NET's default binder, which accepts a higher assembly version
/// than the one referenced. Roslyn's script assembly loader binds strong-named references by exact identity only, so
/// without this, e.g. <c>Microsoft.ML.OnnxTransformer</c> 6.0.0 (built against <c>Microsoft.ML.OnnxRuntime,
/// Version=1.23.2.0</c>) failed in <c>ApplyOnnxModel</c> with a <c>FileNotFoundException</c> beside the restored
/// OnnxRuntime 1.32.0, although <c>dotnet restore</c> had chosen that version (NU1603) and a compiled program runs it.
/// <para>
/// How: Roslyn's per-assembly load contexts fall back to <see cref="AssemblyLoadContext.Default"/>, whose
/// <see cref="AssemblyLoadContext.Resolving"/> event this hooks. A request is answered only for a simple name the
/// session restored from a package (<see cref="Register"/>), by an assembly with the same public key token and a
/// version at least the requested one (<see cref="Satisfies"/>): one already loaded in the process if there is one (so
/// every user shares one copy), else the restored file. A lower version, another token or another name is left alone,
/// and the request fails as before.
/// </para>
/// </summary>
internal static class PackageAssemblyRedirect
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<string, string> s_paths = new(StringComparer.OrdinalIgnoreCase);
    private static bool s_hooked;

    /// <summary>Makes the restored assemblies at <paramref name="paths"/> candidates (first registration of a simple name wins, as for references).</summary>
    public static void Register(IEnumerable<string> paths)
    {
        lock (s_gate)
        {
            foreach (var path in paths) s_paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            if (s_hooked) return;
            s_hooked = true;
        }
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    /// <summary>
    /// True when <paramref name="candidate"/> may stand in for <paramref name="requested"/>: the same simple name
    /// (ordinal, case-insensitive), the same public key token (both empty for assemblies without a strong name) and a
    /// version at least the requested one (any version when the request names none).
    /// </summary>
    public static bool Satisfies(AssemblyName candidate, AssemblyName requested)
    {
        if (!string.Equals(candidate.Name, requested.Name, StringComparison.OrdinalIgnoreCase)) return false;
        if (!(candidate.GetPublicKeyToken() ?? []).AsSpan().SequenceEqual(requested.GetPublicKeyToken() ?? [])) return false;
        return requested.Version is null || (candidate.Version is { } v && v >= requested.Version);
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        string? path;
        lock (s_gate)
        {
            if (requested.Name is null || !s_paths.TryGetValue(requested.Name, out path)) return null;
        }
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && Satisfies(a.GetName(), requested))
            .MaxBy(a => a.GetName().Version);
        if (loaded is not null) return loaded;
        AssemblyName onDisk;
        try { onDisk = AssemblyName.GetAssemblyName(path); }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException) { return null; }
        return Satisfies(onDisk, requested) ? context.LoadFromAssemblyPath(path) : null;
    }
}
