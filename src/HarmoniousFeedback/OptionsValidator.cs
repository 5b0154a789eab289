namespace HarmoniousFeedback;

/// <summary>Collects validation problems and throws one exception listing all of them (NWaves' Errors pattern).</summary>
public sealed class OptionsValidator
{
    private readonly List<string> _problems = new();
    private readonly string _typeName;
    public OptionsValidator(string typeName) => _typeName = typeName;

    public OptionsValidator Check(bool ok, string problem)
    {
        if (!ok) _problems.Add(problem);
        return this;
    }

    /// <summary>Adds "name = value must be in [min, max]" when <paramref name="value"/> is outside.</summary>
    public OptionsValidator InRange(string name, double value, double min, double max)
        => Check(!double.IsNaN(value) && value >= min && value <= max,
            $"{name} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be in [{min.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}]");

    public OptionsValidator Positive(string name, double value)
        => Check(value > 0, $"{name} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be > 0");

    public IReadOnlyList<string> Problems => _problems;

    public void ThrowIfAny()
    {
        if (_problems.Count > 0) throw new OptionsValidationException(_typeName, _problems.ToArray());
    }

    public void ThrowFeatureIfAny()
    {
        if (_problems.Count > 0) throw new FeatureParameterException(_typeName, _problems.ToArray());
    }
}
