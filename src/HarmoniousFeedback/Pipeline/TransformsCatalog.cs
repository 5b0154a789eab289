namespace HarmoniousFeedback.Pipeline;

/// <summary><c>ctx.Transforms</c>: data and feature transforms (audio loading, spectrograms, MFCC, LLD, normalisation, pooling…).</summary>
public sealed class TransformsCatalog : CatalogBase
{
    internal TransformsCatalog(HfContext c) : base(c) { }
}
