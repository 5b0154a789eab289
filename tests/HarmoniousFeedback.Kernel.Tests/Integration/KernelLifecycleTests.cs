using System.Text.Json.Nodes;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Integration;

/// <summary>Tests that need their own kernel process (shutdown ends it).</summary>
public sealed class KernelLifecycleTests
{
    /// <summary>
    /// One process for two guarantees (kernel start-up is the expensive part): a cell that cannot see the interrupt gate
    /// is abandoned after the grace period and its declarations are dropped, and shutdown still replies and ends the
    /// process with exit code 0 while that abandoned thread and a foreground thread a cell started both spin.
    /// </summary>
    [ZmqFact]
    public void Abandoned_cell_keeps_earlier_state_and_shutdown_still_ends_the_process_with_code_0()
    {
        using var process = new KernelProcess();
        using var client = new KernelClient(process.Connection);
        client.WaitForReady(timeoutSeconds: 120);
        Assert.Equal("ok", client.Execute("var keep = 7;", timeoutSeconds: 120).Status);
        // A LINQ query expression's lambdas are implicit: there is nothing for the rewriter to instrument, so only
        // abandonment ends the cell. The foreground thread runs the same kind of query and would keep a process alive.
        const string Endless = "(from a in Enumerable.Range(0, int.MaxValue) from b in Enumerable.Range(0, int.MaxValue) select a + b).LongCount()";
        Assert.Equal("ok", client.Execute($"new Thread(() => {Endless}) {{ IsBackground = false }}.Start();").Status);
        var spinning = client.StartCell($"keep = 8; var lost = 1; {Endless};");
        client.Request("interrupt_request", new JsonObject(), control: true);
        var reply = client.Reply(spinning, TimeSpan.FromSeconds(60)) ?? throw new TimeoutException("the query was not abandoned");
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
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "kernel still running 30 s after shutdown_request");
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>
    /// ipykernel's parent poller: a kernel launched with <c>JPY_PARENT_PID</c> (as jupyter_client launches it) ends when
    /// that parent dies — here the parent shell is killed with SIGKILL, so nothing could send a shutdown request — even
    /// while a cell is running. The kernel checks once a second and then has <see cref="KernelHost.ExitDeadline"/>.
    /// </summary>
    [ZmqFact]
    public void Kernel_exits_when_the_process_that_launched_it_is_killed()
    {
        using var process = new KernelProcess(underShell: true);
        using var client = new KernelClient(process.Connection);
        client.WaitForReady(timeoutSeconds: 120);
        Assert.Equal("ok", client.Execute("1", timeoutSeconds: 120).Status);
        client.StartCell("while (true) { }");
        Assert.True(process.KernelAlive);

        process.Launcher.Kill(); // SIGKILL to the shell only: the kernel is orphaned
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (process.KernelAlive && watch.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(100);
        Assert.False(process.KernelAlive, "the orphaned kernel was still running 30 s after its parent was killed; kernel log:\n" + process.Log);
        // The kernel's stderr reaches the test through the killed shell's pipe, read asynchronously: its last lines can
        // arrive just after the process is gone, so wait for them (bounded) before reading the log.
        watch.Restart();
        while (!process.Log.Contains("shutting down") && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(50);
        Assert.Contains("shutting down", process.Log);
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
