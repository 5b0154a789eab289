using System.Text.Json.Nodes;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Integration;

/// <summary>Tests that need their own kernel process (shutdown ends it).</summary>
public sealed class KernelLifecycleTests
{
    /// <summary>
    /// One process for two guarantees (kernel start-up is the expensive part): a cell that cannot see the interrupt gate
    /// is abandoned after the grace period and its declarations are dropped, and shutdown still replies and exits 0 while
    /// that abandoned thread spins.
    /// </summary>
    [ZmqFact]
    public void AbandonedCell_keeps_state_then_shutdown_replies_and_exits_zero()
    {
        using var process = new KernelProcess();
        using var client = new KernelClient(process.Connection);
        client.WaitForReady(timeoutSeconds: 120);
        Assert.Equal("ok", client.Execute("var keep = 7;", timeoutSeconds: 120).Status);
        // A goto loop has no loop body for the rewriter to instrument: only abandonment can end it.
        var spinning = client.StartCell("keep = 8; var lost = 1; spin: goto spin;");
        client.Request("interrupt_request", new JsonObject(), control: true);
        var reply = client.Reply(spinning, TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("goto loop was not abandoned");
        Assert.Equal("CellInterruptedException", reply.Content["ename"]!.GetValue<string>());
        Assert.Contains("abandoned", reply.Content["evalue"]!.GetValue<string>());
        client.IopubUntilIdle(spinning);
        // The submission chain is the one before the abandoned cell: its declarations are gone, while side effects it
        // already made on earlier variables stay (nothing rolls back an assignment).
        Assert.Equal("8", client.Execute("keep").ResultText);
        Assert.Equal("CompilationError", client.Execute("lost").Reply.Content["ename"]!.GetValue<string>());

        var shutdown = client.Request("shutdown_request", new JsonObject { ["restart"] = true }, control: true);
        Assert.Equal("shutdown_reply", shutdown.MessageType);
        Assert.True(shutdown.Content["restart"]!.GetValue<bool>());
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "kernel still running 10 s after shutdown_request");
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void Missing_libzmq_exits_with_code_2_and_an_install_hint()
    {
        var dir = TestDirs.Create();
        var connection = Path.Combine(dir, "kernel.json");
        File.WriteAllText(connection, "{\"shell_port\": 50001, \"iopub_port\": 50002, \"stdin_port\": 50003, \"control_port\": 50004, \"hb_port\": 50005, \"key\": \"k\"}");
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hfb-kernel.dll"));
        psi.ArgumentList.Add(connection);
        psi.Environment["HFB_KERNEL_ZMQ_LIBRARY"] = "/nonexistent/libzmq.so.5";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Directory.Delete(dir, recursive: true);
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("the ZeroMQ library '/nonexistent/libzmq.so.5' cannot be loaded; install it with 'apt-get install -y libzmq5'", err);
    }

    [ZmqFact]
    public void Missing_connection_file_exits_with_code_2_and_a_message()
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
