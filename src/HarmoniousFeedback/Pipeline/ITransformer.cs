namespace HarmoniousFeedback.Pipeline;

/// <summary>
/// A fitted, stateless-at-use step (ML.NET's <c>ITransformer</c>): maps a table to a table. It reports its output schema
/// for a given input schema without touching data, and saves itself through the public <see cref="ModelWriter"/>.
/// To be loadable, an implementation also declares <c>public static TSelf Load(ModelReader reader)</c>; the model file
/// records the type name, so loading needs no registration.
/// </summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> produces for <paramref name="input"/>; throws <see cref="SchemaMismatchException"/> when the input does not fit.</summary>
    Schema GetOutputSchema(Schema input);

    DataTable Transform(DataTable input);

    /// <summary>Writes the transformer's parameters (not its type name, which the model format records).</summary>
    void Save(ModelWriter writer);
}
