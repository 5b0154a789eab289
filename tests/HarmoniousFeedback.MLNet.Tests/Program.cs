namespace HarmoniousFeedback.MLNet.Tests;

/// <summary>Entry point of the test assembly when run as a program: the fresh process of the save/load tests.</summary>
public static class Program
{
    public static int Main(string[] args) => FreshProcess.Run(args);
}
