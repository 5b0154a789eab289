using System.Globalization;

namespace HarmoniousFeedback.Reporting;

/// <summary>Options of <see cref="PaperTables.Table1"/>.</summary>
public sealed record Table1Options
{
    /// <summary>Report metrics in percent (default true).</summary>
    public bool Percent { get; init; } = true;

    /// <summary>Decimals of every number (default 1 for percent, use 3 for fractions).</summary>
    public int Decimals { get; init; } = 1;

    /// <summary>Bootstrap replicates B for the 95 % CI (default 2000; 0 = no CI column).</summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Also give the bootstrap CI of the pooled macro-F1 (default false: accuracy only).</summary>
    public bool MacroF1Ci { get; init; }

    /// <summary>CI coverage (default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Seed of the bootstrap (each model uses Seed; the same seed gives the same table).</summary>
    public int Seed { get; init; }

    /// <summary>Add a "p vs best" column (default true): corrected resampled t-test on accuracy over folds when there
    /// are ≥ 2 (repeat, fold) units, otherwise McNemar's test.</summary>
    public bool PValueVsBest { get; init; } = true;

    /// <summary>Bold the best value of each metric column (default true).</summary>
    public bool BoldBest { get; init; } = true;

    /// <summary>Checks every option; throws <see cref="OptionsValidationException"/> listing all problems.</summary>
    public void Validate()
    {
        new OptionsValidator(nameof(Table1Options))
            .InRange(nameof(Decimals), Decimals, 0, 6)
            .Check(BootstrapResamples == 0 || BootstrapResamples >= 100, $"BootstrapResamples = {BootstrapResamples} must be 0 (no CI column) or ≥ 100")
            .Check(ConfidenceLevel > 0 && ConfidenceLevel < 1, $"ConfidenceLevel = {ConfidenceLevel.ToString(CultureInfo.InvariantCulture)} must be in (0, 1)")
            .ThrowIfAny();
    }

    public string Caption { get; init; } = "Classification results (mean ± std over folds; 95 % bootstrap CI of pooled accuracy).";
    public string Label { get; init; } = "tab:results";
}
