namespace HarmoniousFeedback.Bench;

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
        if (args.Skip(1).Any(a => a is "--help" or "-h" or "-?"))
        {
            // the suites parse their own options; --help must not start a run that can take minutes
            Console.WriteLine($"hfb-bench {suite.Name}: {suite.Description}");
            return 0;
        }
        return suite.Run(args[1..]);
    }
}
