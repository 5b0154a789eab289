using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Integration;

/// <summary>One kernel process shared by the tests of <see cref="KernelCollection"/>; records start-up to first executed cell.</summary>
public sealed class KernelFixture : IDisposable
{
    public KernelFixture()
    {
        if (!Transport.ZmqContext.IsAvailable) return;
        Process = new KernelProcess();
        Client = new KernelClient(Process.Connection);
        // Generous: on the shared 2-core machine several Roslyn warm-ups may run at once.
        Client.WaitForReady(timeoutSeconds: 120);
        var first = Client.Execute("1", timeoutSeconds: 120);
        StartupToFirstCell = Process.Started.Elapsed;
        StartupCpu = Process.CpuTime;
        if (first.Status != "ok") throw new InvalidOperationException("first cell failed: " + first.Reply.Content.ToJsonString() + "\n" + Process.Log);
    }

    public KernelProcess Process { get; } = null!;
    public KernelClient Client { get; } = null!;

    /// <summary>From <c>Process.Start</c> to the execute_reply of the first cell (kernel start, Roslyn warm-up, first compile).</summary>
    public TimeSpan StartupToFirstCell { get; }

    /// <summary>Kernel CPU time used up to the first cell's reply (start-up work independent of machine load).</summary>
    public TimeSpan StartupCpu { get; }

    public void Dispose()
    {
        if (Client is null) return;
        try { Client.Request("shutdown_request", new() { ["restart"] = false }, control: true, timeoutSeconds: 5); }
        catch (TimeoutException) { }
        Process.WaitForExit(TimeSpan.FromSeconds(5));
        Client.Dispose();
        Process.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<KernelFixture>
{
    public const string Name = "kernel process";
}
