namespace HarmoniousFeedback.Pipeline;

/// <summary><c>ctx.Model</c>: save/load fitted models in the public, versioned format (<see cref="ModelFile"/>).</summary>
public sealed class ModelOperationsCatalog : CatalogBase
{
    internal ModelOperationsCatalog(HfContext c) : base(c) { }

    public void Save(ITransformer model, Schema inputSchema, string path) => ModelFile.Save(model, inputSchema, path);

    public ITransformer Load(string path, out Schema inputSchema) => ModelFile.Load(path, out inputSchema);
}
