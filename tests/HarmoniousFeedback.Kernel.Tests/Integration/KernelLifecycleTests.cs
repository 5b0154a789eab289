using System.Text.Json.Nodes;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Integration;

/// <summary>Tests that need their own kernel process (shutdown ends it).</summary>
public sealed class KernelLifecycleTests
{
    [ZmqFact]
    public void Shutdown_RepliesThenExitsWithCodeZero()
    {
        using var process = new KernelProcess();
        using var client = new KernelClient(process.Connection);
        client.WaitForReady();
        var reply = client.Request("shutdown_request", new JsonObject { ["restart"] = true }, control: true);
        Assert.Equal("shutdown_reply", reply.MessageType);
        Assert.True(reply.Content["restart"]!.GetValue<bool>());
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "kernel still running 10 s after shutdown_request");
        Assert.Equal(0, process.ExitCode);
    }

    [ZmqFact]
    public void MissingConnectionFile_ExitsWithCode2AndMessage()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hfb-kernel.dll"));
        psi.ArgumentList.Add("/nonexistent/kernel-123.json");
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("cannot read connection file '/nonexistent/kernel-123.json'", err);
    }
}
