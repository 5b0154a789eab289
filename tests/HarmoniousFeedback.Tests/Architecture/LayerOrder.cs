using System.Text.RegularExpressions;

namespace HarmoniousFeedback.Tests.Architecture;

/// <summary>
/// The layers of one root namespace, bottom first. A namespace belongs to the layer named by its first segment after the
/// root (<c>HarmoniousFeedback.Midi.Rendering</c> → <c>Midi</c>); the root namespace itself is the layer written
/// <c>(root)</c>. A type may use types of its own layer and of lower layers only.
/// </summary>
public sealed partial class LayerOrder
{
    public const string RootLayer = "(root)";

    /// <summary>The root namespace, e.g. <c>HarmoniousFeedback</c>.</summary>
    public string Root { get; }

    /// <summary>Layer names, bottom first.</summary>
    public IReadOnlyList<string> Layers { get; }

    public LayerOrder(string root, IReadOnlyList<string> layers)
    {
        Root = root;
        Layers = layers;
    }

    /// <summary>
    /// Reads the line <c>Layer order (bottom first): (root) &lt; IO &lt; Audio &lt; …</c> of an architecture document — the
    /// one place the order is written down.
    /// </summary>
    public static LayerOrder FromDocument(string root, string markdown)
    {
        var m = OrderLine().Match(markdown);
        if (!m.Success) throw new InvalidDataException("no 'Layer order (bottom first): a < b < …' line in the architecture document");
        var layers = m.Groups["layers"].Value.Split('<', StringSplitOptions.TrimEntries).Select(l => l.Trim('`')).ToArray();
        return new LayerOrder(root, layers);
    }

    [GeneratedRegex(@"^Layer order \(bottom first\): (?<layers>.+)$", RegexOptions.Multiline)]
    private static partial Regex OrderLine();

    /// <summary>The layer of <paramref name="ns"/>, or null when it is outside <see cref="Root"/> (compiler-generated, other libraries).</summary>
    public string? LayerOf(string ns)
    {
        if (ns == Root) return RootLayer;
        if (!ns.StartsWith(Root + ".", StringComparison.Ordinal)) return null;
        return ns[(Root.Length + 1)..].Split('.')[0];
    }

    /// <summary>Position of a layer (0 = bottom), or −1 when the order does not list it.</summary>
    public int IndexOf(string layer) => Layers.ToList().IndexOf(layer);

    /// <summary>
    /// Every reference that points up (from a lower layer to a higher one) or touches a namespace the order does not list,
    /// as one message each naming the using type, its member, the used type and both namespaces with their layers.
    /// </summary>
    public IReadOnlyList<string> Violations(IEnumerable<TypeReference> references)
    {
        var problems = new List<string>();
        foreach (var r in references)
        {
            string? from = LayerOf(r.FromNamespace), to = LayerOf(r.ToNamespace);
            if (from is null || to is null || from == to) continue;
            int fi = IndexOf(from), ti = IndexOf(to);
            if (fi < 0 || ti < 0) continue; // reported once per namespace by UnknownNamespaces
            if (fi < ti)
                problems.Add($"{r.From} ({r.Member}) uses {r.To}: namespace {r.FromNamespace} (layer {from}, #{fi}) must not use {r.ToNamespace} (layer {to}, #{ti}) — it is higher");
        }
        return problems;
    }

    /// <summary>Namespaces under <see cref="Root"/> whose layer the order does not list.</summary>
    public IReadOnlyList<string> UnknownNamespaces(IEnumerable<string> namespaces)
        => namespaces.Where(ns => LayerOf(ns) is { } l && IndexOf(l) < 0).Distinct().Order(StringComparer.Ordinal).ToArray();
}
