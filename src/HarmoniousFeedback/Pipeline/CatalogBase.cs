namespace HarmoniousFeedback.Pipeline;

/// <summary>Base of every catalog: gives extension methods access to the context.</summary>
public abstract class CatalogBase
{
    protected CatalogBase(HfContext context) => Context = context;
    public HfContext Context { get; }
}
