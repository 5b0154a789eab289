namespace HarmoniousFeedback.Kernel;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("hfb-kernel: usage: hfb-kernel <connection-file.json>");
        return args.Length == 0 ? 2 : 0;
    }
}
