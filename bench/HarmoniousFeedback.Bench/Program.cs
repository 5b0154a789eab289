namespace HarmoniousFeedback.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: hfb-bench <features|nn|baselines> [--json]");
        return 2;
    }
}
