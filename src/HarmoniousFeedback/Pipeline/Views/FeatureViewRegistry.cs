namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Every feature view by name (see <see cref="IFeatureView"/>). <see cref="Default"/> holds the built-in views; methods
/// that need more (log-mel for HFN, score/performance/text for the multimodal models) register theirs. Thread-safe.
/// </summary>
public sealed class FeatureViewRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, IFeatureView> _views = new(StringComparer.Ordinal);
    private readonly List<IFeatureView> _order = new();

    public static FeatureViewRegistry Default { get; } = CreateBuiltIn();

    public static FeatureViewRegistry CreateBuiltIn()
    {
        var r = new FeatureViewRegistry();
        r.Register(new LldSegmentsView());
        r.Register(new MfccStatsView());
        r.Register(new LogMelView());
        r.Register(new ReferenceLogMelView());
        r.Register(new AlignmentView());
        r.Register(new ScoreAlignedStatsView());
        r.Register(new ScoreNotesView());
        r.Register(new SymbolicSegmentsView(SymbolicPart.Score));
        r.Register(new SymbolicSegmentsView(SymbolicPart.Performance));
        r.Register(new SymbolicClipView(SymbolicPart.Score));
        r.Register(new SymbolicClipView(SymbolicPart.Performance));
        r.Register(new AudioRhythmView());
        r.Register(new TextTokensView("text", Features.Text.EmotionMasking.None));
        r.Register(new TextTokensView("text-masked", Features.Text.EmotionMasking.Core));
        return r;
    }

    public void Register(IFeatureView view)
    {
        var name = view.Name;
        if (string.IsNullOrEmpty(name) || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            throw new OptionsValidationException(nameof(FeatureViewRegistry), [$"view name '{name}' must be non-empty lower-case letters, digits and '-'"]);
        lock (_gate)
        {
            if (_views.TryGetValue(name, out var existing))
            {
                if (existing.GetType() == view.GetType()) return;
                throw new OptionsValidationException(nameof(FeatureViewRegistry), [$"view name '{name}' is already registered by {existing.GetType().FullName}"]);
            }
            _views[name] = view;
            _order.Add(view);
        }
    }

    public IReadOnlyList<IFeatureView> Views
    {
        get { lock (_gate) return _order.ToArray(); }
    }

    public IReadOnlyList<string> Names => Views.Select(v => v.Name).ToArray();

    public bool TryGet(string name, out IFeatureView view)
    {
        lock (_gate) return _views.TryGetValue(name, out view!);
    }

    public IFeatureView Get(string name) => TryGet(name, out var v) ? v
        : throw new OptionsValidationException("feature view", [$"'{name}' is not a known feature view (allowed: {string.Join(", ", Names)})"]);
}
