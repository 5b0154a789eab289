using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace HarmoniousFeedback.Kernel.Polyglot;

/// <summary>
/// Turns <c>#r "nuget: …"</c> requests into assembly references the way a project would get them: it writes a
/// temporary project with one <c>PackageReference</c> per requested package (no version: <c>*</c>, the latest stable)
/// and runs <c>dotnet restore</c> on it, so the machine's own NuGet configuration (sources, credentials, the global
/// packages folder) applies; a <c>nuget.config</c> in the notebook's folder or above it is used instead when present.
/// Extra sources come from <c>#i "nuget: …"</c> and from the kernel's local package folder
/// (<see cref="LocalPackagesDirectory"/>, where <c>dotnet pack -o</c> puts packages built on this machine). The
/// runtime assemblies of the whole dependency closure (RID-specific ones for this machine where a package has them)
/// are read from <c>project.assets.json</c>; native libraries of the packages are found through the load context's
/// unmanaged-library resolution; a package built against an older version of a strong-named dependency gets the
/// version restored (<see cref="PackageAssemblyRedirect"/>), as in a compiled program.
/// <para>
/// Every request restores the union of the packages requested so far in the session, so versions stay consistent
/// across cells. Results are cached under <see cref="CacheDirectory"/> by a hash of the request (packages, sources,
/// NuGet configuration, contents of local package folders): a later cell or session with the same request needs no
/// restore. A package in a local folder that was re-packed under the same version replaces the stale copy in the
/// global packages folder (NuGet itself would keep the first one forever).
/// </para>
/// </summary>
public sealed class NuGetResolver
{
    private static readonly object s_nativeGate = new();
    private static readonly List<string> s_nativeDirectories = [];
    private static bool s_nativeHooked;

    private readonly string _workingDirectory;
    private readonly string _cacheDirectory;
    private readonly Dictionary<string, string?> _requested = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _sources = [];
    private readonly Dictionary<string, string> _referenced = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="workingDirectory">The notebook's folder: base of relative <c>#i</c> folders, start of the <c>nuget.config</c> search.</param>
    /// <param name="cacheDirectory">Where restores are cached; default <see cref="CacheDirectory"/>.</param>
    /// <param name="localPackages">The local package folder (used when it exists); default <see cref="LocalPackagesDirectory"/>.</param>
    public NuGetResolver(string workingDirectory, string? cacheDirectory = null, string? localPackages = null)
    {
        _workingDirectory = workingDirectory;
        _cacheDirectory = cacheDirectory ?? CacheDirectory();
        if ((localPackages ?? LocalPackagesDirectory()) is { } local && Directory.Exists(local)) _sources.Add(Path.GetFullPath(local));
    }

    /// <summary>The kernel's local package folder: <c>$HFB_LOCAL_PACKAGES</c>, else <c>$XDG_DATA_HOME/hfb/packages</c> (<c>~/.local/share/hfb/packages</c>).</summary>
    public static string? LocalPackagesDirectory()
    {
        if (Environment.GetEnvironmentVariable("HFB_LOCAL_PACKAGES") is { Length: > 0 } explicitDir) return Path.GetFullPath(explicitDir);
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(xdg, "hfb", "packages");
    }

    /// <summary>Where restores are cached: <c>$HFB_KERNEL_CACHE</c>, else <c>$XDG_CACHE_HOME/hfb-kernel</c> (<c>~/.cache/hfb-kernel</c>), then <c>/nuget</c>.</summary>
    public static string CacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("HFB_KERNEL_CACHE") is { Length: > 0 } explicitDir) return Path.Combine(Path.GetFullPath(explicitDir), "nuget");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(xdg, "hfb-kernel", "nuget");
    }

    /// <summary>The extra package sources in use (local folders absolute).</summary>
    public IReadOnlyList<string> Sources => _sources;

    /// <summary>Adds a package source from <c>#i "nuget: …"</c>: a URL, or a folder (relative to the notebook's folder).</summary>
    public void AddSource(string source)
    {
        var resolved = Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? source : Path.GetFullPath(source, _workingDirectory);
        if (!_sources.Contains(resolved, StringComparer.Ordinal)) _sources.Add(resolved);
    }

    /// <summary>
    /// Restores the packages requested so far plus <paramref name="packages"/> and returns the runtime assemblies not
    /// referenced before, with the installed version of each package the cell named.
    /// </summary>
    /// <param name="progress">Receives one line per step ("Restoring …", "Installed X 1.2.3").</param>
    /// <exception cref="NuGetRestoreException">conflicting versions, or <c>dotnet restore</c> failed (its error lines are in the message).</exception>
    public (IReadOnlyList<string> NewAssemblies, IReadOnlyList<string> Installed) Add(IReadOnlyList<PackageRequest> packages, TextWriter progress, CancellationToken cancellationToken)
    {
        foreach (var p in packages)
        {
            if (_requested.TryGetValue(p.Name, out var had) && had is not null && p.Version is not null && had != p.Version)
                throw new NuGetRestoreException($"package '{p.Name}' was already added at version {had} in this session; a loaded assembly cannot be replaced — restart the kernel to use version {p.Version}");
        }
        // The session's packages change only when the restore succeeds: a package that cannot be restored (a typo, no
        // network) must not be requested again by every later #r "nuget: …" of the session.
        var requested = new Dictionary<string, string?>(_requested, StringComparer.OrdinalIgnoreCase);
        foreach (var p in packages)
        {
            var had = requested.GetValueOrDefault(p.Name);
            if (had is null || p.Version is not null) requested[p.Name] = p.Version ?? had;
        }
        var request = requested.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => new PackageRequest(kv.Key, kv.Value)).ToList();
        Resolution resolved;
        try { resolved = Resolve(request, progress, cancellationToken); }
        catch (NuGetRestoreException e)
        {
            throw new NuGetRestoreException(e.Message + DropUnreachableSources(e.Message) + "; the session's packages are unchanged (" + packages.Count switch { 1 => "this package was", _ => "these packages were" } + " not added)", e);
        }
        foreach (var (name, version) in requested) _requested[name] = version;

        var added = new List<string>();
        foreach (var assembly in resolved.Assemblies)
        {
            var name = Path.GetFileNameWithoutExtension(assembly);
            if (_referenced.ContainsKey(name)) continue;
            _referenced[name] = assembly;
            added.Add(assembly);
        }
        RegisterNativeDirectories(resolved.NativeDirectories);
        PackageAssemblyRedirect.Register(added);
        var installed = packages.Select(p => resolved.Versions.TryGetValue(p.Name, out var v) ? $"{p.Name} {v}" : p.Name).ToList();
        foreach (var line in installed) progress.WriteLine("Installed package " + line);
        return (added, installed);
    }

    /// <summary>
    /// Removes the <c>#i</c> sources NuGet could not use — unreachable (NU1301) or plain HTTP (NU1302), each named in
    /// its error — which would otherwise fail every later restore of the session; returns the sentence saying so, or ""
    /// when none was removed.
    /// </summary>
    private string DropUnreachableSources(string restoreErrors)
    {
        var sourceErrors = restoreErrors.Split("; ").Where(l => l.Contains("NU1301", StringComparison.Ordinal) || l.Contains("NU1302", StringComparison.Ordinal)).ToList();
        var dropped = _sources.Where(s => Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                                          && sourceErrors.Any(l => l.Contains(s, StringComparison.Ordinal))).ToList();
        if (dropped.Count == 0) return "";
        foreach (var s in dropped) _sources.Remove(s);
        return $"; the source {string.Join(", ", dropped.Select(s => $"'{s}'"))} could not be loaded and was removed from this session (add it again with #i \"nuget: <url>\" once it is reachable)";
    }

    private sealed record Resolution(IReadOnlyList<string> Assemblies, IReadOnlyList<string> NativeDirectories, IReadOnlyDictionary<string, string> Versions);

    private Resolution Resolve(IReadOnlyList<PackageRequest> request, TextWriter progress, CancellationToken cancellationToken)
    {
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var config = FindNuGetConfig(_workingDirectory);
        var localFolders = _sources.Where(Directory.Exists).ToList();
        var key = CacheKey(framework, request, config, localFolders);
        var dir = Path.Combine(_cacheDirectory, key);
        var resolvedFile = Path.Combine(dir, "resolved.json");
        if (TryReadResolution(resolvedFile) is { } cached) return cached;

        progress.WriteLine("Restoring NuGet packages: " + string.Join(", ", request.Select(p => p.Version is null ? p.Name : $"{p.Name} {p.Version}")) + " …");
        progress.Flush();
        foreach (var folder in localFolders) ReplaceStaleLocalPackages(folder);
        Directory.CreateDirectory(dir);
        var project = Path.Combine(dir, "Restore.csproj");
        File.WriteAllText(project, ProjectXml(framework, request));
        RunRestore(project, config, cancellationToken);
        var resolution = ReadAssets(Path.Combine(dir, "obj", "project.assets.json"), framework);
        var tmp = resolvedFile + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, JsonSerializer.Serialize(new JsonObject
        {
            ["assemblies"] = new JsonArray(resolution.Assemblies.Select(a => (JsonNode)a).ToArray()),
            ["native"] = new JsonArray(resolution.NativeDirectories.Select(a => (JsonNode)a).ToArray()),
            ["versions"] = new JsonObject(resolution.Versions.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        }));
        File.Move(tmp, resolvedFile, overwrite: true);
        return resolution;
    }

    private string ProjectXml(string framework, IReadOnlyList<PackageRequest> request)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        sb.AppendLine("  <PropertyGroup>");
        sb.AppendLine($"    <TargetFramework>{framework}</TargetFramework>");
        sb.AppendLine("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>");
        sb.AppendLine("    <NuGetAudit>false</NuGetAudit>");
        if (_sources.Count > 0) sb.AppendLine($"    <RestoreAdditionalProjectSources>{SecurityElement.Escape(string.Join(';', _sources))}</RestoreAdditionalProjectSources>");
        sb.AppendLine("  </PropertyGroup>");
        sb.AppendLine("  <ItemGroup>");
        foreach (var p in request)
            sb.AppendLine($"    <PackageReference Include=\"{SecurityElement.Escape(p.Name)}\" Version=\"{SecurityElement.Escape(p.Version ?? "*")}\" />");
        sb.AppendLine("  </ItemGroup>");
        sb.AppendLine("</Project>");
        return sb.ToString();
    }

    private static void RunRestore(string project, string? config, CancellationToken cancellationToken)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var psi = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(project)! };
        foreach (var a in new[] { "restore", project, "--nologo", "--disable-build-servers", "-v", "q", "-p:NuGetAudit=false" }) psi.ArgumentList.Add(a);
        if (config is not null) { psi.ArgumentList.Add("--configfile"); psi.ArgumentList.Add(config); }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        Process p;
        try { p = Process.Start(psi) ?? throw new NuGetRestoreException($"cannot start '{dotnet} restore'"); }
        catch (System.ComponentModel.Win32Exception e) { throw new NuGetRestoreException($"cannot start '{dotnet} restore' ({e.Message}); #r \"nuget: …\" needs the .NET SDK on PATH", e); }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
            using (cancellationToken.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            {
                if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
                {
                    p.Kill(entireProcessTree: true);
                    throw new NuGetRestoreException("dotnet restore did not finish within 10 minutes");
                }
                p.WaitForExit();
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (p.ExitCode != 0)
            {
                var errors = (stdout.Result + "\n" + stderr.Result).Split('\n')
                    .Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct()
                    .Select(l => l.Replace(project, "", StringComparison.Ordinal).Replace(" []", "", StringComparison.Ordinal).TrimStart(' ', ':'))
                    .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\s+", " ")).Distinct().Take(10).ToList();
                var hint = errors.Any(e => e.Contains("NU1101", StringComparison.Ordinal))
                    ? $" (a package built on this machine is found after 'dotnet pack <project> -c Release -o {LocalPackagesDirectory()}', the kernel's local package folder, or from a folder named with #i \"nuget: <folder>\")"
                    : errors.Any(e => e.Contains("NU1301", StringComparison.Ordinal))
                        ? " (a package source could not be reached: without network, name an exact version already in NuGet's global packages folder (~/.nuget/packages), or a folder of .nupkg files with #i \"nuget: <folder>\")"
                        : "";
                throw new NuGetRestoreException($"dotnet restore failed (exit code {p.ExitCode}): " + (errors.Count > 0 ? string.Join("; ", errors) : (stdout.Result + stderr.Result).Trim()) + hint);
            }
        }
    }

    /// <summary>Runtime assemblies, native library folders and resolved versions from a <c>project.assets.json</c>.</summary>
    internal static (IReadOnlyList<string> Assemblies, IReadOnlyList<string> NativeDirectories, IReadOnlyDictionary<string, string> Versions) ReadAssetsFile(string assetsFile, string framework)
    {
        var r = ReadAssets(assetsFile, framework);
        return (r.Assemblies, r.NativeDirectories, r.Versions);
    }

    private static Resolution ReadAssets(string assetsFile, string framework)
    {
        var assets = JsonNode.Parse(File.ReadAllText(assetsFile))!;
        var packageFolder = assets["packageFolders"]!.AsObject().First().Key;
        var target = assets["targets"]![framework]!.AsObject();
        var libraries = assets["libraries"]!.AsObject();
        var rids = RuntimeIdentifierChain();
        var assemblies = new List<string>();
        var native = new List<string>();
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, entry) in target)
        {
            if (entry?["type"]?.GetValue<string>() != "package") continue;
            var slash = id.IndexOf('/');
            versions[id[..slash]] = id[(slash + 1)..];
            var root = Path.Combine(packageFolder, libraries[id]!["path"]!.GetValue<string>());
            var targets = (entry["runtimeTargets"] as JsonObject)?.Select(kv => (Path: kv.Key, Type: kv.Value?["assetType"]?.GetValue<string>(), Rid: kv.Value?["rid"]?.GetValue<string>())).ToList() ?? [];
            var bestRid = rids.FirstOrDefault(rid => targets.Any(t => t.Type == "runtime" && t.Rid == rid));
            var runtime = bestRid is not null
                ? targets.Where(t => t.Type == "runtime" && t.Rid == bestRid).Select(t => t.Path)
                : (entry["runtime"] as JsonObject)?.Select(kv => kv.Key) ?? [];
            assemblies.AddRange(runtime.Where(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(a => Path.GetFullPath(Path.Combine(root, a))));
            var nativeRid = rids.FirstOrDefault(rid => targets.Any(t => t.Type == "native" && t.Rid == rid));
            if (nativeRid is not null)
                native.AddRange(targets.Where(t => t.Type == "native" && t.Rid == nativeRid).Select(t => Path.GetDirectoryName(Path.GetFullPath(Path.Combine(root, t.Path)))!).Distinct());
        }
        return new Resolution(assemblies, native.Distinct().ToList(), versions);
    }

    /// <summary>This machine's runtime identifier and its fall-backs, most specific first (<c>linux-x64</c>, <c>linux</c>, <c>unix</c>, <c>any</c>).</summary>
    private static IReadOnlyList<string> RuntimeIdentifierChain()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var chain = new List<string> { RuntimeInformation.RuntimeIdentifier, $"{os}-{arch}", os };
        if (!OperatingSystem.IsWindows()) chain.Add("unix");
        chain.Add("any");
        return chain.Distinct().ToList();
    }

    private static Resolution? TryReadResolution(string file)
    {
        if (!File.Exists(file)) return null;
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            var assemblies = json["assemblies"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            if (!assemblies.All(File.Exists)) return null; // the global packages folder was cleaned: restore again
            return new Resolution(assemblies, json["native"]!.AsArray().Select(n => n!.GetValue<string>()).ToList(),
                json["versions"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase));
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    private static string CacheKey(string framework, IReadOnlyList<PackageRequest> request, string? config, IReadOnlyList<string> localFolders)
    {
        var text = new StringBuilder(framework).Append('\n');
        foreach (var p in request) text.Append(p.Name.ToLowerInvariant()).Append('/').Append(p.Version ?? "*").Append('\n');
        if (config is not null) text.Append(config).Append('\n').Append(File.ReadAllText(config)).Append('\n');
        foreach (var folder in localFolders)
        {
            text.Append(folder).Append('\n');
            foreach (var f in Directory.EnumerateFiles(folder, "*.nupkg").Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(f);
                text.Append(info.Name).Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
            }
        }
        // A URL source changes what "latest" means only over time; a day's granularity keeps floating versions fresh.
        if (request.Any(p => p.Version is null || p.Version.Contains('*', StringComparison.Ordinal))) text.Append(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The nearest <c>nuget.config</c> (any capitalisation) in <paramref name="directory"/> or its parents, or null.</summary>
    internal static string? FindNuGetConfig(string directory)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(directory)); d is not null; d = d.Parent)
        {
            if (!d.Exists) continue;
            var found = d.EnumerateFiles().FirstOrDefault(f => f.Name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase));
            if (found is not null) return found.FullName;
        }
        return null;
    }

    /// <summary>The global packages folder: <c>$NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Deletes extracted copies of packages whose <c>.nupkg</c> in <paramref name="folder"/> differs (SHA-512, as NuGet records it) from the one extracted.</summary>
    private static void ReplaceStaleLocalPackages(string folder)
    {
        var global = GlobalPackagesFolder();
        foreach (var nupkg in Directory.EnumerateFiles(folder, "*.nupkg"))
        {
            try
            {
                string id, version;
                using (var zip = ZipFile.OpenRead(nupkg))
                {
                    var nuspec = zip.Entries.FirstOrDefault(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
                    if (nuspec is null) continue;
                    using var stream = nuspec.Open();
                    var metadata = XDocument.Load(stream).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
                    id = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value ?? "";
                    version = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value ?? "";
                }
                if (id.Length == 0 || version.Length == 0) continue;
                var extracted = Path.Combine(global, id.ToLowerInvariant(), version.ToLowerInvariant());
                var recorded = Path.Combine(extracted, $"{id.ToLowerInvariant()}.{version.ToLowerInvariant()}.nupkg.sha512");
                if (!File.Exists(recorded)) continue;
                using var file = File.OpenRead(nupkg);
                var hash = Convert.ToBase64String(SHA512.HashData(file));
                if (File.ReadAllText(recorded).Trim() != hash) Directory.Delete(extracted, recursive: true);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Xml.XmlException)
            {
                // An unreadable package is left to NuGet, which reports it properly.
            }
        }
    }

    /// <summary>Lets P/Invoke in package assemblies find the packages' native libraries (<c>runtimes/&lt;rid&gt;/native</c>).</summary>
    private static void RegisterNativeDirectories(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0) return;
        lock (s_nativeGate)
        {
            foreach (var d in directories) if (!s_nativeDirectories.Contains(d)) s_nativeDirectories.Add(d);
            if (s_nativeHooked) return;
            s_nativeHooked = true;
            var hooked = new HashSet<AssemblyLoadContext>();
            void Hook(AssemblyLoadContext? context)
            {
                if (context is null) return;
                lock (hooked) { if (!hooked.Add(context)) return; }
                context.ResolvingUnmanagedDll += ResolveNative;
            }
            Hook(AssemblyLoadContext.Default);
            foreach (var context in AssemblyLoadContext.All) Hook(context);
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Hook(AssemblyLoadContext.GetLoadContext(e.LoadedAssembly));
        }
    }

    private static nint ResolveNative(Assembly assembly, string name)
    {
        string[] dirs;
        lock (s_nativeGate) dirs = [.. s_nativeDirectories];
        var prefix = OperatingSystem.IsWindows() ? "" : "lib";
        var suffix = OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        foreach (var dir in dirs)
        {
            foreach (var candidate in new[] { name, name + suffix, prefix + name + suffix, prefix + name })
            {
                var path = Path.Combine(dir, candidate);
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
            }
        }
        return 0;
    }
}

/// <summary><c>#r "nuget: …"</c> could not be restored; the message carries NuGet's own error lines.</summary>
public sealed class NuGetRestoreException : KernelException
{
    public NuGetRestoreException(string message) : base(message) { }
    public NuGetRestoreException(string message, Exception inner) : base(message, inner) { }
}
