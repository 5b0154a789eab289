using System.Globalization;
using System.Text.Json;
using HarmoniousFeedback.Models.Classical;
using HarmoniousFeedback.Models.PianoEmotion;

namespace HarmoniousFeedback.Experiments;

/// <summary>
/// Turns a <see cref="ModelSpec"/> (type + hyperparameters by name) into trainer options, validating every parameter
/// name and value before any data is touched. Parameter names are the ones researchers know (PyTorch/sklearn).
/// </summary>
public static class ModelFactory
{
    public static readonly IReadOnlyDictionary<string, string[]> AllowedParams = new Dictionary<string, string[]>
    {
        ["lstm"] = ["preset", "layers", "attention", "hidden", "attentionDim", "dropout", "optimizer", "lr", "momentum", "weightDecay", "batchSize", "epochs", "patience", "validationFraction", "clipGradNorm", "balancedClassWeights"],
        ["svm"] = ["kernel", "c", "gamma", "degree", "coef0", "tol"],
        ["lda"] = ["solver", "shrinkage"],
        ["logreg"] = ["c", "maxIter", "tol"],
    };

    /// <summary>The options object for <paramref name="spec"/>: <see cref="LstmClassifierOptions"/>, <see cref="SvmOptions"/>, <see cref="LdaOptions"/> or <see cref="LogisticRegressionOptions"/>.</summary>
    public static object OptionsFor(ModelSpec spec, string at = "model")
    {
        var p = new ParamReader(spec, at);
        object options = spec.Type switch
        {
            "lstm" => Lstm(p),
            "svm" => new SvmOptions
            {
                Kernel = p.Enum("kernel", "rbf", ["rbf", "linear", "poly", "sigmoid"]) switch { "linear" => SvmKernel.Linear, "poly" => SvmKernel.Poly, "sigmoid" => SvmKernel.Sigmoid, _ => SvmKernel.Rbf },
                C = p.Double("c", 1.0),
                Gamma = p.Gamma(),
                Degree = p.Int("degree", 3),
                Coef0 = p.Double("coef0", 0),
                Tol = p.Double("tol", 1e-3),
            },
            "lda" => new LdaOptions
            {
                Solver = LdaOptions.ParseSolver(p.Enum("solver", "svd", ["svd", "lsqr", "eigen"]))!.Value,
                Shrinkage = p.Shrinkage(),
            },
            "logreg" => new LogisticRegressionOptions { C = p.Double("c", 1.0), MaxIter = p.Int("maxIter", 1000), Tol = p.Double("tol", 1e-4) },
            _ => throw new ExperimentSpecException($"{at}.type = '{spec.Type}' is not a known model (allowed: {string.Join(", ", ModelSpec.KnownTypes)})"),
        };
        p.ThrowIfProblems();
        try
        {
            switch (options)
            {
                case LstmClassifierOptions o: o.Validate(); break;
                case SvmOptions o: o.Validate(); break;
                case LdaOptions o: o.Validate(); break;
                case LogisticRegressionOptions o: o.Validate(); break;
            }
        }
        catch (OptionsValidationException e)
        {
            throw new ExperimentSpecException($"{at} ('{spec.Name}'): {e.Message}");
        }
        return options;
    }

    private static LstmClassifierOptions Lstm(ParamReader p)
    {
        var preset = p.Enum("preset", "method", ["method", "tuned"]) == "tuned" ? LstmClassifierOptions.Tuned : LstmClassifierOptions.Method;
        return preset with
        {
            Layers = p.Int("layers", preset.Layers),
            Attention = p.Bool("attention", preset.Attention),
            HiddenSize = p.Int("hidden", preset.HiddenSize),
            AttentionDim = p.Int("attentionDim", preset.AttentionDim),
            Dropout = (float)p.Double("dropout", preset.Dropout),
            Optimizer = p.Enum("optimizer", preset.Optimizer.ToString().ToLowerInvariant(), ["sgd", "adam", "adamw"]) switch { "adam" => OptimizerKind.Adam, "adamw" => OptimizerKind.AdamW, _ => OptimizerKind.Sgd },
            LearningRate = p.Double("lr", preset.LearningRate),
            Momentum = p.Double("momentum", preset.Momentum),
            WeightDecay = p.Double("weightDecay", preset.WeightDecay),
            BatchSize = p.Int("batchSize", preset.BatchSize),
            MaxEpochs = p.Int("epochs", preset.MaxEpochs),
            EarlyStoppingPatience = p.NullableInt("patience", preset.EarlyStoppingPatience),
            ValidationFraction = p.Double("validationFraction", preset.ValidationFraction),
            ClipGradNorm = p.NullableDouble("clipGradNorm", preset.ClipGradNorm),
            BalancedClassWeights = p.Bool("balancedClassWeights", preset.BalancedClassWeights),
        };
    }

    private sealed class ParamReader
    {
        private readonly ModelSpec _spec;
        private readonly string _at;
        private readonly List<string> _problems = new();

        public ParamReader(ModelSpec spec, string at)
        {
            _spec = spec;
            _at = $"{at}.params";
            if (AllowedParams.TryGetValue(spec.Type, out var allowed))
                foreach (var k in spec.Params.Keys)
                    if (!allowed.Contains(k)) _problems.Add($"{_at}.{k} is not a parameter of a {spec.Type} model (allowed: {string.Join(", ", allowed)})");
        }

        private bool TryGet(string name, out JsonElement e) => _spec.Params.TryGetValue(name, out e) && e.ValueKind != JsonValueKind.Null;

        public double Double(string name, double def)
        {
            if (!TryGet(name, out var e)) return def;
            if (e.ValueKind == JsonValueKind.Number) return e.GetDouble();
            _problems.Add($"{_at}.{name} = {e} must be a number");
            return def;
        }

        public double? NullableDouble(string name, double? def) => _spec.Params.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.Null ? null : TryGet(name, out _) ? Double(name, 0) : def;

        public int Int(string name, int def)
        {
            if (!TryGet(name, out var e)) return def;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v)) return v;
            _problems.Add($"{_at}.{name} = {e} must be an integer");
            return def;
        }

        public int? NullableInt(string name, int? def) => _spec.Params.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.Null ? null : TryGet(name, out _) ? Int(name, 0) : def;

        public bool Bool(string name, bool def)
        {
            if (!TryGet(name, out var e)) return def;
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
            _problems.Add($"{_at}.{name} = {e} must be true or false");
            return def;
        }

        public string Enum(string name, string def, string[] allowed)
        {
            if (!TryGet(name, out var e)) return def;
            var s = e.ValueKind == JsonValueKind.String ? e.GetString()!.Trim().ToLowerInvariant() : e.ToString();
            if (allowed.Contains(s)) return s;
            _problems.Add($"{_at}.{name} = '{e}' is not allowed (allowed: {string.Join(", ", allowed)})");
            return def;
        }

        public SvmGamma Gamma()
        {
            if (!TryGet("gamma", out var e)) return SvmGamma.Scale;
            if (e.ValueKind == JsonValueKind.Number) return SvmGamma.Of(e.GetDouble());
            var s = e.ValueKind == JsonValueKind.String ? e.GetString()!.Trim().ToLowerInvariant() : "";
            if (s == "scale") return SvmGamma.Scale;
            if (s == "auto") return SvmGamma.Auto;
            _problems.Add($"{_at}.gamma = '{e}' is not allowed (allowed: \"scale\", \"auto\" or a number > 0)");
            return SvmGamma.Scale;
        }

        public LdaShrinkage? Shrinkage()
        {
            if (!TryGet("shrinkage", out var e)) return null;
            if (e.ValueKind == JsonValueKind.Number) return LdaShrinkage.Of(e.GetDouble());
            if (e.ValueKind == JsonValueKind.String && LdaShrinkage.TryParse(e.GetString()!) is { } s) return s;
            _problems.Add($"{_at}.shrinkage = '{e}' is not allowed (allowed: null, \"auto\" or a number in [0, 1])");
            return null;
        }

        public void ThrowIfProblems()
        {
            if (_problems.Count > 0) throw new ExperimentSpecException($"model '{_spec.Name}': " + string.Join("; ", _problems));
        }
    }

    internal static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
