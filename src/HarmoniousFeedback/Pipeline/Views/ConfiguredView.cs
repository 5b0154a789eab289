namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>A feature view with validated options: its column type, whether it is normalised per unit, and its extraction.</summary>
public abstract class ConfiguredView
{
    protected ConfiguredView(IFeatureView view) => View = view;

    public IFeatureView View { get; }

    /// <summary>The type of the view's column (e.g. <c>Sequence&lt;float&gt;[*, 50]</c>).</summary>
    public abstract ColumnType Type { get; }

    /// <summary>Names of the feature dimensions, when known.</summary>
    public virtual IReadOnlyList<string>? SlotNames => null;

    /// <summary>
    /// True when the experiment's normalisation (<c>features.normalization</c>: min–max fitted on the training rows of
    /// each unit) applies to this view; false for views models standardise themselves (clip statistics for classical models).
    /// </summary>
    public abstract bool Normalizable { get; }

    /// <summary>Why <paramref name="clip"/> has no value for this view (e.g. "no MIDI"), or null when it can be computed.</summary>
    public virtual string? Missing(ViewClip clip) => null;

    /// <summary>The view's value for every clip, in order (each of <see cref="Type"/>'s CLR type), in parallel, cached.</summary>
    public abstract IReadOnlyList<object> Extract(IReadOnlyList<ViewClip> clips, ViewExtraction extraction);

    /// <summary>The schema column for this view under <paramref name="columnName"/>.</summary>
    public SchemaColumn Column(string columnName) => new(columnName, Type) { SlotNames = SlotNames };
}
