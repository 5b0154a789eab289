namespace HarmoniousFeedback.MLNet.Tests;

/// <summary>Commands the tests run in a new process (<c>dotnet HarmoniousFeedback.MLNet.Tests.dll &lt;command&gt; …</c>).</summary>
public static class FreshProcess
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("usage: HarmoniousFeedback.MLNet.Tests.dll <command> …");
        return 2;
    }
}
