using System.Text.Json;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>
/// Base of every registered model kind, typed by its options record. A kind implements four things:
/// <list type="number">
/// <item><see cref="ReadOptions"/>: JSON hyperparameters → <typeparamref name="TOptions"/> through a <see cref="ParameterReader"/>
/// (names researchers know, defaults, descriptions — the same code documents the parameters);</item>
/// <item><see cref="Validate"/>: the options record's own checks (all problems at once);</item>
/// <item><see cref="Inputs"/>: which feature views it reads by default and which column types it accepts;</item>
/// <item><see cref="CreateTrainer"/>: the pipeline estimator that trains it on a unit (its fitted transformer saves and
/// loads through the public model format, <see cref="ModelFile"/>).</item>
/// </list>
/// Registering it is one line: <c>ModelRegistry.Default.Register(new MyModelKind())</c> (docs/architecture.md, "Adding a model").
/// </summary>
public abstract class ModelKind<TOptions> : IModelKind where TOptions : class
{
    private IReadOnlyList<ParameterInfo>? _parameters;

    public abstract string Name { get; }
    public abstract string Summary { get; }

    public IReadOnlyList<ParameterInfo> Parameters
    {
        get
        {
            if (_parameters is null)
            {
                var describe = ParameterReader.Describe($"a {Name} model");
                ReadOptions(describe);
                _parameters = describe.Declared.ToArray();
            }
            return _parameters;
        }
    }

    /// <summary>Reads the hyperparameters (defaults for absent ones). Problems go to the reader, not exceptions.</summary>
    protected abstract TOptions ReadOptions(ParameterReader p);

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid option (typically <c>options.Validate()</c>).</summary>
    protected abstract void Validate(TOptions options);

    /// <summary>The views this model reads and the column types it accepts.</summary>
    protected abstract ModelInputs Inputs(TOptions options);

    /// <summary>The trainer for one unit.</summary>
    protected abstract IEstimator<ITransformer> CreateTrainer(TOptions options, TrainerSetup setup);

    /// <summary>Checks beyond <see cref="ModelInputs"/> (e.g. which input plays which part); one problem per misfit. None by default.</summary>
    protected virtual void CheckInputRoles(TOptions options, IReadOnlyList<ModelInput> inputs, List<string> problems) { }

    ConfiguredModel IModelKind.Configure(IReadOnlyDictionary<string, JsonElement>? parameters, string at) => Configure(parameters, at);

    /// <summary>Parses and validates the hyperparameters into typed options.</summary>
    public Configured Configure(IReadOnlyDictionary<string, JsonElement>? parameters, string at = "params")
    {
        var p = new ParameterReader(parameters, at, $"a {Name} model");
        var options = ReadOptions(p);
        p.ThrowIfProblems();
        Validate(options);
        return new Configured(this, options);
    }

    /// <summary>Configures typed options directly (library use; the same validation).</summary>
    public Configured Configure(TOptions options)
    {
        Validate(options);
        return new Configured(this, options);
    }

    /// <summary>A <typeparamref name="TOptions"/>-typed <see cref="ConfiguredModel"/>.</summary>
    public sealed class Configured : ConfiguredModel
    {
        private readonly ModelKind<TOptions> _kind;
        private readonly ModelInputs _inputs;

        internal Configured(ModelKind<TOptions> kind, TOptions options) : base(kind)
        {
            _kind = kind;
            Options = options;
            _inputs = kind.Inputs(options);
        }

        public TOptions Options { get; }

        public override IReadOnlyList<string> DefaultViews => _inputs.DefaultViews;

        public override void CheckInputs(IReadOnlyList<ModelInput> inputs, List<string> problems)
        {
            _inputs.Check(_kind.Name, inputs, problems);
            _kind.CheckInputRoles(Options, inputs, problems);
        }

        public override IEstimator<ITransformer> CreateTrainer(TrainerSetup setup) => _kind.CreateTrainer(Options, setup);
    }
}
