namespace HarmoniousFeedback.Bench;

/// <summary>A benchmark suite run by <c>hfb-bench &lt;name&gt; [args]</c>. Suites are discovered by reflection.</summary>
public interface IBenchSuite
{
    /// <summary>The sub-command name, e.g. <c>features</c>, <c>nn</c>, <c>baselines</c>.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>Runs the suite; <c>--json</c> in <paramref name="args"/> prints machine-readable results on stdout.</summary>
    int Run(string[] args);
}
