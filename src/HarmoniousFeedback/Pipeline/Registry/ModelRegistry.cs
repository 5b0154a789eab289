using HarmoniousFeedback.Pipeline.Trainers;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// The one place that knows every model kind: name → typed options → feature views → trainer → save/load (see
/// <see cref="IModelKind"/>). <see cref="Default"/> holds the built-in kinds; an add-on assembly (the ML.NET bridge, a
/// user's notebook) registers its own with one call, and from then on experiment specs, <c>hfb reproduce</c>,
/// <c>hfb baseline</c>, <c>hfb model list</c> and the catalogs (<c>ctx.MulticlassClassification.Trainers.Create</c>) know them.
/// Thread-safe.
/// </summary>
public sealed class ModelRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, IModelKind> _kinds = new(StringComparer.Ordinal);
    private readonly List<IModelKind> _order = new();

    /// <summary>The process-wide registry, holding the built-in kinds.</summary>
    public static ModelRegistry Default { get; } = CreateBuiltIn();

    /// <summary>A new registry holding only the built-in kinds (tests and isolated runs).</summary>
    public static ModelRegistry CreateBuiltIn()
    {
        var r = new ModelRegistry();
        r.Register(new LstmModelKind());
        r.Register(new SvmModelKind());
        r.Register(new LdaModelKind());
        r.Register(new LogisticRegressionModelKind());
        return r;
    }

    /// <summary>Adds a kind. Names are lower case letters, digits and '-', unique within the registry.</summary>
    public void Register(IModelKind kind)
    {
        var name = kind.Name;
        if (string.IsNullOrEmpty(name) || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            throw new OptionsValidationException(nameof(ModelRegistry), [$"model name '{name}' must be non-empty lower-case letters, digits and '-'"]);
        lock (_gate)
        {
            if (_kinds.TryGetValue(name, out var existing))
            {
                if (existing.GetType() == kind.GetType()) return; // registering the same kind twice is harmless
                throw new OptionsValidationException(nameof(ModelRegistry), [$"model name '{name}' is already registered by {existing.GetType().FullName}"]);
            }
            _kinds[name] = kind;
            _order.Add(kind);
        }
    }

    /// <summary>The registered kinds in registration order.</summary>
    public IReadOnlyList<IModelKind> Kinds
    {
        get { lock (_gate) return _order.ToArray(); }
    }

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names => Kinds.Select(k => k.Name).ToArray();

    public bool TryGet(string name, out IModelKind kind)
    {
        lock (_gate) return _kinds.TryGetValue(name, out kind!);
    }

    /// <summary>The kind called <paramref name="name"/>; an unknown name is an error listing the known ones.</summary>
    public IModelKind Get(string name) => TryGet(name, out var k) ? k
        : throw new OptionsValidationException("model type", [$"'{name}' is not a known model (allowed: {string.Join(", ", Names)}){Hint(name)}"]);

    private static string Hint(string name) => name.StartsWith("mlnet-", StringComparison.Ordinal)
        ? "; ML.NET models come with HarmoniousFeedback.MLNet: reference it and call MLNetModels.Register()"
        : "";
}
