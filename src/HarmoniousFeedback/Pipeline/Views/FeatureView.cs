using System.Text.Json;
using HarmoniousFeedback.Pipeline.Registry;

namespace HarmoniousFeedback.Pipeline.Views;

/// <summary>
/// Base of every feature view, typed by its options: <see cref="ReadOptions"/> parses (and documents) the parameters
/// on top of the experiment-wide defaults, <see cref="Create"/> builds the configured view.
/// </summary>
public abstract class FeatureView<TOptions> : IFeatureView where TOptions : class
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
                var d = ParameterReader.Describe($"view {Name}");
                ReadOptions(d, new ViewDefaults());
                _parameters = d.Declared.ToArray();
            }
            return _parameters;
        }
    }

    protected abstract TOptions ReadOptions(ParameterReader p, ViewDefaults defaults);

    protected abstract ConfiguredView Create(TOptions options);

    public ConfiguredView Configure(IReadOnlyDictionary<string, JsonElement>? parameters, ViewDefaults defaults, string at = "views")
    {
        var p = new ParameterReader(parameters, at, $"view {Name}");
        var options = ReadOptions(p, defaults);
        p.ThrowIfProblems();
        return Create(options);
    }
}
