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

public static class Program
{
    public static IReadOnlyList<IBenchSuite> Suites() => typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(IBenchSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (IBenchSuite)Activator.CreateInstance(t)!)
        .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public static int Main(string[] args)
    {
        var suites = Suites();
        var suite = args.Length > 0 ? suites.FirstOrDefault(s => s.Name == args[0]) : null;
        if (suite is null)
        {
            Console.Error.WriteLine("usage: hfb-bench <suite> [--json] [suite options]");
            foreach (var s in suites) Console.Error.WriteLine($"  {s.Name,-12} {s.Description}");
            return 2;
        }
        return suite.Run(args[1..]);
    }
}
