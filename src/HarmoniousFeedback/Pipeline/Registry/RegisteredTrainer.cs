using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// A trainer built from the registry by name (<c>ctx.MulticlassClassification.Trainers.Create("svm", "Features")</c>):
/// it waits for the input schema to learn its feature columns' types (so a classical model knows to pool a sequence),
/// checks them against the model kind, and delegates to the kind's trainer. Schema errors come before any work, as for
/// every estimator.
/// </summary>
public sealed class RegisteredTrainer : IEstimator<ITransformer>
{
    private readonly ConfiguredModel _model;
    private readonly IReadOnlyList<string> _featureColumns;
    private readonly string _labelColumn;
    private readonly string? _groupColumn;
    private readonly int _seed;

    public RegisteredTrainer(ConfiguredModel model, IReadOnlyList<string> featureColumns, string labelColumn, string? groupColumn, int seed)
    {
        if (featureColumns.Count == 0) throw new SchemaMismatchException($"{model.Kind.Name}: at least one feature column is required");
        _model = model;
        _featureColumns = featureColumns;
        _labelColumn = labelColumn;
        _groupColumn = groupColumn;
        _seed = seed;
    }

    /// <summary>Receives one report per epoch of iterative trainers.</summary>
    public IProgress<EpochReport>? Observer { get; init; }

    private IEstimator<ITransformer> Build(Schema input)
    {
        var inputs = new List<ModelInput>();
        foreach (var name in _featureColumns)
        {
            var col = input[name] ?? throw new SchemaMismatchException(
                $"{_model.Kind.Name}: input column '{name}' not found. Available columns: {string.Join(", ", input.Select(c => c.ToString()))}");
            inputs.Add(new ModelInput(name, name, col.Type));
        }
        var problems = new List<string>();
        _model.CheckInputs(inputs, problems);
        if (problems.Count > 0) throw new SchemaMismatchException(string.Join("; ", problems));
        return _model.CreateTrainer(new TrainerSetup
        {
            Inputs = inputs, LabelColumn = _labelColumn, Seed = _seed, Observer = Observer,
            GroupColumn = _groupColumn is not null && input.Contains(_groupColumn) ? _groupColumn : null,
        });
    }

    public Schema GetOutputSchema(Schema input) => Build(input).GetOutputSchema(input);

    public ITransformer Fit(DataTable input) => Build(input.Schema).Fit(input);
}
