using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HarmoniousFeedback.IO;

/// <summary>
/// The toolkit's JSON setting: every <see cref="JsonSerializerOptions"/> it creates names the reflection-based
/// <see cref="DefaultJsonTypeInfoResolver"/> explicitly, so its files (specs, manifests, model files, run folders) read
/// and write the same in apps that switch reflection-based serialisation off by default — .NET 10 file-based apps
/// (<c>dotnet run script.cs</c>) and trimmed/AOT-configured apps (<c>JsonSerializerIsReflectionEnabledByDefault=false</c>).
/// </summary>
public static class JsonDefaults
{
    /// <summary>The resolver every options object of the toolkit uses.</summary>
    public static IJsonTypeInfoResolver Resolver { get; } = new DefaultJsonTypeInfoResolver();

    /// <summary>Plain options (System.Text.Json defaults) with <see cref="Resolver"/>.</summary>
    public static JsonSerializerOptions Options { get; } = new() { TypeInfoResolver = Resolver };
}
